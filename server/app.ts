/**
 * createApp wires one HTTP server carrying both Hono and socket.io. No side effects at import;
 * main.ts (or a test) opens the seams and calls listen().
 */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { AppDeps } from './deps.ts';
import { createHttpApp } from './transport/http/api.ts';
import { attachSocketHandlers } from './transport/socket/attach.ts';
import type { ChorusServer } from './transport/socket/events.ts';
import { RecoveryAdapter } from './realtime/memory-adapter.ts';
import { usersInRoom, usersInRooms } from './transport/socket/evict.ts';
import { socketServerOptions } from './transport/socket/server-options.ts';
import { RoomServiceImpl } from './services/room-service.ts';
import { DisabledRecommendations } from './learning/disabled-service.ts';
import { LearningService } from './learning/learning-service.ts';
import type { RecommendationService } from './learning/types.ts';
import { createMetrics } from './observability/metrics.ts';
import { OutboxRelay } from './services/outbox-relay.ts';
import { PresenceSweep } from './services/presence-sweep.ts';

/** How long a restarted cluster node waits for its peers before asking who is still connected. */
const PEER_WAIT_MS = 1_000;
/** A sweep's question to the cluster gives up after this long (and the sweep tries again later). */
const PRESENCE_TIMEOUT_MS = 2_000;

export interface ChorusApp {
  httpServer: HttpServer;
  io: ChorusServer;
  rooms: RoomServiceImpl;
  recs: RecommendationService;
  /** The live learner when this node runs one (CHORUS_LEARNER), for catalog refreshes and tests. */
  learning: LearningService | undefined;
  /** The outbox relay (cluster mode only). */
  relay: OutboxRelay | undefined;
  /** The Hono app (tests call http.request() without a port). */
  http: ReturnType<typeof createHttpApp>;
  /** Bind and resolve with the actual port (0 → ephemeral). */
  listen(port?: number, host?: string): Promise<number>;
  url(): string;
  close(): Promise<void>;
}

export async function createApp(deps: AppDeps): Promise<ChorusApp> {
  const { config } = deps;
  let port = config.port;
  const publicUrl = () => config.publicUrl ?? `http://localhost:${port}`;
  const joinUrl = (code: string) => `${publicUrl()}/?room=${encodeURIComponent(code)}`;

  const holder: { io?: ChorusServer } = {};
  // Broadcast to everyone in the socket.io room (memory or Redis adapter).
  const emit = (roomId: string, event: string, payload: unknown) =>
    (holder.io?.to(roomId) as unknown as { emit: (e: string, p: unknown) => void } | undefined)?.emit(event, payload);
  const learning = config.learner
    ? await LearningService.start({
        ...deps,
        emit,
        seed: config.learnerSeed,
        k: config.recsK,
        testEvery: config.learnerTestEvery,
        nice: config.learnerNice,
        models: config.models.length > 0 ? config.models : undefined,
        snapshotIntervalS: config.snapshotIntervalS,
        snapshotEvery: config.snapshotEvery,
        snapshotsKept: config.snapshotsKept,
      })
    : undefined;
  // Cluster mode without a learner thread: the learner processes recommend (loaded lazily: ioredis).
  const remote =
    !learning && deps.redis
      ? await (await import('./learning/remote-service.ts')).RemoteRecommendations.start({
          redis: deps.redis,
          db: deps.db,
          log: deps.log,
          prefix: config.redisPrefix,
          k: config.recsK,
          snapshotsKept: config.snapshotsKept,
        })
      : undefined;
  const live = learning ?? remote;
  const recs: RecommendationService = live ?? new DisabledRecommendations();
  // Cluster mode: room state shared through Redis (loaded lazily: the default pulls in no ioredis).
  const roomState =
    deps.roomState ??
    (deps.redis
      ? new (await import('./realtime/redis-room-state-store.ts')).RedisRoomStateStore({
          redis: deps.redis,
          prefix: config.redisPrefix,
          ttlMs: config.roomStateTtlS * 1000,
        })
      : undefined);
  const rooms = new RoomServiceImpl({
    ...deps,
    ...(roomState && { roomState }),
    emit,
    ...(live && { onRoomChange: (room) => live.roomChanged(room), autofill: (room) => live.autofill(room) }),
  });
  // A cluster node cannot tell from its own (new) sockets who left: other nodes may hold them (below).
  await rooms.restore({ keepConnected: deps.redis !== undefined });
  for (const room of rooms.openRooms()) live?.roomChanged(room);

  const metrics = createMetrics({
    recs,
    rooms: () => rooms.openRoomCount(),
    members: () => rooms.openRooms().reduce((n, r) => n + r.members.filter((m) => m.connected && !m.banned).length, 0),
    processMetrics: deps.processMetrics,
  });
  const http = createHttpApp({ ...deps, rooms, recs, metrics, realtime: deps.redis ? 'redis' : 'memory', joinUrl });
  const httpServer = createAdaptorServer({ fetch: http.fetch }) as HttpServer;
  // Rooms span nodes through Redis; the adapter's own connection closes with io.close().
  const adapter = deps.redis
    ? (await import('./realtime/socket-adapter.ts')).createSocketAdapter(deps.redis, {
        log: deps.log,
        streamName: `${config.redisPrefix}:socket.io`,
      })
    : RecoveryAdapter;
  const io: ChorusServer = new Server(httpServer, { ...socketServerOptions(config), adapter });
  holder.io = io;
  attachSocketHandlers(io, { ...deps, rooms, recs, observeEvent: metrics.observeEvent });
  // Cluster: once the adapter has heard from its peers (they answer a new node's first heartbeat at once),
  // members whose socket is in their room on no node are marked disconnected, as a single node does at
  // start; from then on the presence sweep does the same for members a dead node leaves behind.
  let sweep: PresenceSweep | undefined;
  let closed = false;
  const presence = deps.redis
    ? setTimeout(() => {
        void rooms
          .markAbsent((roomId) => usersInRoom(io, roomId))
          .then((n) => n > 0 && deps.log.info({ members: n }, 'marked members gone while this node was down as disconnected'))
          .then(() => {
            if (closed || config.presenceSweepMs === 0) return;
            sweep = new PresenceSweep({
              rooms,
              presentIn: (roomId) => usersInRoom(io, roomId, PRESENCE_TIMEOUT_MS),
              presentInRooms: (roomIds) => usersInRooms(io, roomIds, PRESENCE_TIMEOUT_MS),
              log: deps.log,
              intervalMs: config.presenceSweepMs,
            }).start();
          });
      }, PEER_WAIT_MS)
    : undefined;
  // Interactions whose publish to the stream failed are queued in Postgres; this re-publishes them.
  const relay =
    deps.interactionLog.kind === 'redis'
      ? new OutboxRelay({ db: deps.db, interactionLog: deps.interactionLog, log: deps.log, intervalMs: config.outboxRelayMs }).start()
      : undefined;

  return {
    httpServer,
    io,
    rooms,
    recs,
    learning,
    relay,
    http,
    listen(p = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(p, host, () => {
          port = (httpServer.address() as AddressInfo).port;
          resolve(port);
        });
      });
    },
    url: () => `http://127.0.0.1:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(presence);
      await sweep?.stop();
      await rooms.close();
      roomState?.close?.();
      await relay?.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      // After the rooms: their last interactions are learned and in the shutdown snapshot.
      await deps.interactionLog.drain?.();
      await recs.close();
      metrics.close();
      httpServer.closeAllConnections?.();
    },
  };
}
