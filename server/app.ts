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

export interface ChorusApp {
  httpServer: HttpServer;
  io: ChorusServer;
  rooms: RoomServiceImpl;
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
  const rooms = new RoomServiceImpl({
    ...deps,
    emit: (roomId, event, payload) => {
      // Broadcast to everyone in the socket.io room (memory or Redis adapter).
      (holder.io?.to(roomId) as unknown as { emit: (e: string, p: unknown) => void } | undefined)?.emit(event, payload);
    },
  });
  await rooms.restore();

  const http = createHttpApp({ ...deps, rooms, realtime: 'memory', joinUrl });
  const httpServer = createAdaptorServer({ fetch: http.fetch }) as HttpServer;
  const io: ChorusServer = new Server(httpServer, socketServerOptions(config));
  holder.io = io;
  attachSocketHandlers(io, { ...deps, rooms });

  let closed = false;
  return {
    httpServer,
    io,
    rooms,
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
      httpServer.closeAllConnections?.();
    },
  };
}
