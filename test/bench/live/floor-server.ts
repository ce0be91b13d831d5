/**
 * The floor: a plain socket.io server (no validation, database, domain or learner) answering the
 * same HTTP calls and socket events the workload uses, with payloads of Chorus's shapes and sizes.
 * It acks track:react with an interaction id and pushes a recs-sized `recs:updated` listing it to
 * the room (coalesced per tick, like a debounced push), and acks queue:add / queue:remove after
 * broadcasting `queue:updated`. Whatever Chorus adds on top of this is its own cost.
 * Run as a child process by launch-server.ts (PORT from the environment).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { RecItem, RecsUpdatedEvent, RoomSnapshot, WirePlayback, WireQueueItem } from '../../../server/transport/socket/events.ts';

interface FloorRoom {
  id: string;
  code: string;
  name: string;
  version: number;
  hostId: string;
  members: Map<string, string>;
  queue: WireQueueItem[];
  playback: WirePlayback;
  pending: string[];
}

const GENRES = ['pop', 'rock', 'jazz', 'hip-hop', 'electronic', 'folk'];
const tracks = Array.from({ length: 500 }, (_, i) => ({
  id: `floor-${i}`,
  title: `Floor track ${i}`,
  artist: `Artist ${i % 50}`,
  genre: GENRES[i % GENRES.length] ?? 'pop',
  durationMs: 180_000 + (i % 60) * 1000,
  popularity: 50,
}));
const rooms = new Map<string, FloorRoom>();
const byCode = new Map<string, FloorRoom>();
let seq = 0;

const MODELS = ['popularity', 'item-knn', 'mf-bpr', 'content', 'group-room', 'neumf'];

function recsFor(room: FloorRoom, learned: string[]): RecsUpdatedEvent {
  const items: RecItem[] = tracks.slice(0, 10).map((t, i) => ({
    trackId: t.id,
    title: t.title,
    artist: t.artist,
    genre: t.genre,
    durationMs: t.durationMs,
    score: 1 - i / 20,
    reason: `${t.artist} is popular with this room`,
    contributions: Object.fromEntries(MODELS.map((m, k) => [m, (1 - i / 20) / (k + 2)])),
  }));
  return {
    version: room.version,
    modelVersion: `1.${seq}`,
    strategy: 'fair',
    items,
    weights: Object.fromEntries(MODELS.map((m) => [m, 1 / MODELS.length])),
    harmony: 0.9,
    members: [...room.members.keys()].map((userId) => ({ userId, satisfaction: 0.5 })),
    learned,
    at: Date.now(),
  };
}

function snapshot(room: FloorRoom): RoomSnapshot {
  return {
    roomId: room.id,
    code: room.code,
    name: room.name,
    version: room.version,
    hostId: room.hostId,
    members: [...room.members].map(([userId, displayName]) => ({
      userId,
      displayName,
      role: userId === room.hostId ? 'host' : 'member',
      connected: true,
    })),
    queue: room.queue,
    playback: room.playback,
    settings: {
      guestControls: false,
      queueMode: 'fifo',
      skipThreshold: 0.5,
      maxQueuedPerMember: 10,
      maxMembers: 500,
      autoplay: true,
      mood: '',
      activity: '',
    } as RoomSnapshot['settings'],
    skipVotes: { count: 0, needed: 1 },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

const http = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://floor');
  if (url.pathname.startsWith('/socket.io/')) return; // socket.io's own listener answers
  void (async () => {
    if (url.pathname === '/health') return json(res, 200, { status: 'ok' });
    if (url.pathname === '/api/tracks') {
      const limit = Number(url.searchParams.get('limit') ?? 20);
      return json(res, 200, { tracks: tracks.slice(0, limit) });
    }
    if (req.method === 'POST' && url.pathname === '/api/guests') {
      const { displayName } = await body(req);
      const userId = `u${++seq}`;
      return json(res, 201, { userId, token: `${userId}|${String(displayName)}` });
    }
    if (req.method === 'POST' && url.pathname === '/api/rooms') {
      const { name } = await body(req);
      const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const room: FloorRoom = {
        id: randomUUID(),
        code: `F${(++seq).toString(36).toUpperCase()}`,
        name: String(name),
        version: 1,
        hostId: token.split('|')[0] ?? '',
        members: new Map(),
        queue: [],
        playback: { trackId: null, status: 'idle', positionMs: 0, at: Date.now(), durationMs: null },
        pending: [],
      };
      rooms.set(room.id, room);
      byCode.set(room.code, room);
      return json(res, 201, { roomId: room.id, code: room.code, joinUrl: `/join/${room.code}` });
    }
    json(res, 404, { error: { code: 'NOT_FOUND', message: 'no such route' } });
  })().catch(() => json(res, 400, { error: { code: 'VALIDATION', message: 'bad request' } }));
});

const io = new Server(http, {
  maxHttpBufferSize: 32 * 1024,
  connectionStateRecovery: { maxDisconnectionDuration: 120_000, skipMiddlewares: false },
});

type Ack = (res: unknown) => void;
const ok = (ack: unknown, data: unknown): void => (typeof ack === 'function' ? (ack as Ack)({ ok: true, data }) : undefined);
const fail = (ack: unknown, code: string): void =>
  typeof ack === 'function' ? (ack as Ack)({ ok: false, error: { code, message: code } }) : undefined;

io.use((socket, next) => {
  const token = String((socket.handshake.auth as { token?: unknown }).token ?? '');
  const [userId, displayName] = token.split('|');
  socket.data = { userId, displayName };
  next();
});

io.on('connection', (socket: Socket) => {
  const user = socket.data as { userId: string; displayName: string };
  let room: FloorRoom | undefined;
  const bump = (r: FloorRoom): number => ++r.version;

  socket.on('room:join', (p: { code: string }, ack: unknown) => {
    const r = byCode.get(String(p.code).toUpperCase());
    if (!r) return fail(ack, 'NOT_FOUND');
    room = r;
    r.members.set(user.userId, user.displayName);
    void socket.join(r.id);
    const v = bump(r);
    const snap = snapshot(r);
    io.to(r.id).emit('room:members', { version: v, members: snap.members });
    io.to(r.id).emit('skip:updated', { version: v, skipVotes: snap.skipVotes });
    ok(ack, snap);
    socket.emit('recs:updated', recsFor(r, []));
  });

  socket.on('queue:add', (p: { trackId: string }, ack: unknown) => {
    if (!room) return fail(ack, 'FORBIDDEN');
    const item: WireQueueItem = { id: randomUUID(), trackId: p.trackId, addedBy: user.userId, votes: 0, score: 0, autofill: false };
    room.queue.push(item);
    const version = bump(room);
    io.to(room.id).emit('queue:updated', { version, queue: room.queue });
    ok(ack, { item, version });
  });

  socket.on('queue:remove', (p: { itemId: string }, ack: unknown) => {
    if (!room) return fail(ack, 'FORBIDDEN');
    const before = room.queue.length;
    room.queue = room.queue.filter((i) => i.id !== p.itemId);
    if (room.queue.length === before) return fail(ack, 'NOT_FOUND');
    const version = bump(room);
    io.to(room.id).emit('queue:updated', { version, queue: room.queue });
    ok(ack, { version });
  });

  socket.on('playback:play', (p: { trackId?: string }, ack: unknown) => {
    if (!room) return fail(ack, 'FORBIDDEN');
    const t = tracks.find((x) => x.id === p.trackId) ?? tracks[0];
    room.playback = { trackId: t?.id ?? null, status: 'playing', positionMs: 0, at: Date.now(), durationMs: t?.durationMs ?? null };
    const version = bump(room);
    io.to(room.id).emit('playback:updated', { version, playback: room.playback });
    ok(ack, { version, playback: room.playback });
  });

  socket.on('track:react', (_p: unknown, ack: unknown) => {
    const r = room;
    if (!r) return fail(ack, 'FORBIDDEN');
    const id = randomUUID();
    ok(ack, { version: r.version, interactionIds: [id] });
    r.pending.push(id);
    // Coalesced per tick, as a debounced recommendation push would be, but with no learning in between.
    if (r.pending.length === 1) {
      setImmediate(() => {
        const learned = r.pending;
        r.pending = [];
        io.to(r.id).emit('recs:updated', recsFor(r, learned));
      });
    }
  });

  socket.on('room:leave', (_p: unknown, ack: unknown) => {
    if (room) void socket.leave(room.id);
    ok(ack, { version: room?.version ?? 0 });
  });
});

http.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
const stop = (): void => {
  void io.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
