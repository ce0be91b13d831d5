/**
 * Two socket.io servers sharing Redis through the streams adapter: a room joined on node A receives a
 * broadcast sent from node B. Without Redis the factory returns undefined (socket.io's memory adapter).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
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

  async function node(client: Redis, streamName: string): Promise<{ io: Server; port: number }> {
    const http: HttpServer = createServer();
    const io = new Server(http, { adapter: createSocketAdapter(client, { log: quietLog, streamName }) });
    io.on('connection', (socket) => void socket.join('room-1'));
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
});
