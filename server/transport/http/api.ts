import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { RoomService } from '../../services/types.ts';
import { httpErrorHandler } from './errors.ts';
import { guestRoutes } from './guests.ts';
import { healthRoutes } from './health.ts';
import { roomRoutes } from './rooms.ts';
import { trackRoutes } from './tracks.ts';

export interface HttpDeps extends AppDeps {
  rooms: RoomService;
  realtime: 'memory' | 'redis';
  joinUrl: (code: string) => string;
}

/** One chained sub-app per area, mounted with app.route(); testable with app.request(). */
export function createHttpApp(deps: HttpDeps) {
  const { config } = deps;
  const app = new Hono();
  app.onError(httpErrorHandler(deps.log));
  app.use(
    '/api/*',
    cors({ origin: config.origins.includes('*') ? '*' : config.origins }),
    bodyLimit({
      maxSize: config.maxPayloadBytes,
      onError: () => {
        throw new AppError('VALIDATION', `body larger than ${config.maxPayloadBytes} bytes`);
      },
    }),
  );
  app.route('/health', healthRoutes(deps));
  app.route('/api/guests', guestRoutes(deps));
  app.route('/api/rooms', roomRoutes(deps));
  app.route('/api/tracks', trackRoutes(deps));
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: 'no such route' } }, 404));
  return app;
}
