/**
 * Two socket.io servers sharing Redis through the streams adapter: a room joined on node A receives a
 * broadcast sent from node B. Without Redis the factory returns undefined (socket.io's memory adapter).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { Server, type ServerOptions } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createSocketAdapter } from '../../server/realtime/socket-adapter.ts';
import { dropKeysAndClose, openTestRedis, quietLog, uniqueName, until } from '../helpers/redis.ts';
import { requireService } from '../helpers/services.ts';

const redis = requireService('redis');

it('without a Redis client the default memory adapter is kept', () => {
  expect(createSocketAdapter(undefined, { log: quietLog })).toBeUndefined();
});

describe.skipIf(!redis.url)('socket.io Redis Streams adapter', () => {
  const teardown: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of teardown.splice(0).reverse()) await fn();
  });

  async function node(client: Redis, streamName: string, opts: Partial<ServerOptions> = {}): Promise<{ io: Server; port: number }> {
    const http: HttpServer = createServer();
    const io = new Server(http, { ...opts, adapter: createSocketAdapter(client, { log: quietLog, streamName }) });
    io.on('connection', (socket) => void (socket.recovered || socket.join('room-1')));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    teardown.push(() => new Promise((r) => void io.close(() => r())));
    return { io, port: (http.address() as AddressInfo).port };
  }

  it('a broadcast from node B reaches a room member connected to node A', async () => {
    const client = await openTestRedis(redis.url ?? '');
    const streamName = uniqueName('sio');
    teardown.push(() => dropKeysAndClose(client, streamName));
    const a = await node(client, streamName);
    const b = await node(client, streamName);

    const socket: ClientSocket = connect(`http://127.0.0.1:${a.port}`, { transports: ['websocket'] });
    teardown.push(async () => void socket.disconnect());
    const received: unknown[] = [];
    socket.on('hello', (payload: unknown) => received.push(payload));
    await until(() => socket.connected, 'client connected to node A');

    // Node B's reader starts asynchronously; repeat the broadcast until it has crossed once.
    await until(() => {
      b.io.to('room-1').emit('hello', { from: 'B' });
      return received.length > 0;
    }, 'the broadcast from node B');
    expect(received[0]).toEqual({ from: 'B' });
    await until(async () => (await b.io.fetchSockets()).length === 1, 'node B sees the socket on node A');
  });

  it('a recovered socket is replayed what it missed, except recs:updated (a state: the latest is sent instead)', async () => {
    const client = await openTestRedis(redis.url ?? '');
    const streamName = uniqueName('sio');
    teardown.push(() => dropKeysAndClose(client, streamName));
    const a = await node(client, streamName, { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } });
    const socket: ClientSocket = connect(`http://127.0.0.1:${a.port}`, { transports: ['websocket'], reconnectionDelay: 200 });
    teardown.push(async () => void socket.disconnect());
    const seen: string[] = [];
    socket.onAny((event: string) => void seen.push(event));
    await until(() => socket.connected, 'client connected');
    // A first packet gives the client an offset to recover from.
    await until(() => {
      a.io.to('room-1').emit('hello', 1);
      return seen.includes('hello');
    }, 'a first broadcast');

    const [server] = [...a.io.sockets.sockets.values()];
    const gone = new Promise<void>((r) => server?.once('disconnect', () => r()));
    seen.length = 0;
    (socket.io.engine as unknown as { close(): void }).close();
    await gone;
    for (let i = 0; i < 3; i++) a.io.to('room-1').emit('recs:updated', { stale: i });
    a.io.to('room-1').emit('queue:updated', { version: 2 });

    await until(() => socket.connected && socket.recovered, 'recovered session');
    await until(() => seen.includes('queue:updated'), 'the missed queue:updated replayed');
    expect(seen).not.toContain('recs:updated');
  });
});
