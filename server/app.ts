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
import { socketServerOptions } from './transport/socket/server-options.ts';
import { RoomServiceImpl } from './services/room-service.ts';
import { DisabledRecommendations } from './learning/disabled-service.ts';
import { LearningService } from './learning/learning-service.ts';
import type { RecommendationService } from './learning/types.ts';
import { createMetrics } from './observability/metrics.ts';

export interface ChorusApp {
  httpServer: HttpServer;
  io: ChorusServer;
  rooms: RoomServiceImpl;
  recs: RecommendationService;
  /** The live learner when this node runs one (CHORUS_LEARNER), for catalog refreshes and tests. */
  learning: LearningService | undefined;
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
        models: config.models.length > 0 ? config.models : undefined,
        snapshotIntervalS: config.snapshotIntervalS,
        snapshotEvery: config.snapshotEvery,
        snapshotsKept: config.snapshotsKept,
      })
    : undefined;
  const recs: RecommendationService = learning ?? new DisabledRecommendations();
  const rooms = new RoomServiceImpl({
    ...deps,
    emit,
    ...(learning && { onRoomChange: (room) => learning.roomChanged(room), autofill: (room) => learning.autofill(room) }),
  });
  await rooms.restore();
  for (const room of rooms.openRooms()) learning?.roomChanged(room);

  const metrics = createMetrics({
    recs,
    rooms: () => rooms.openRoomCount(),
    members: () => rooms.openRooms().reduce((n, r) => n + r.members.filter((m) => m.connected && !m.banned).length, 0),
    processMetrics: deps.processMetrics,
  });
  const http = createHttpApp({ ...deps, rooms, recs, metrics, realtime: 'memory', joinUrl });
  const httpServer = createAdaptorServer({ fetch: http.fetch }) as HttpServer;
  const io: ChorusServer = new Server(httpServer, socketServerOptions(config));
  holder.io = io;
  attachSocketHandlers(io, { ...deps, rooms, recs });

  let closed = false;
  return {
    httpServer,
    io,
    rooms,
    recs,
    learning,
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
      await rooms.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      // After the rooms: their last interactions are learned and in the shutdown snapshot.
      await deps.interactionLog.drain?.();
      await recs.close();
      metrics.close();
      httpServer.closeAllConnections?.();
    },
  };
}
