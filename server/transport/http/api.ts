import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { RecommendationService } from '../../learning/types.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { RoomService } from '../../services/types.ts';
import { compatibilityRoutes } from './compatibility.ts';
import { mountDocs } from './docs.ts';
import { httpErrorHandler } from './errors.ts';
import { guestRoutes } from './guests.ts';
import { healthRoutes } from './health.ts';
import { metricsRoutes } from './metrics.ts';
import { modelRoutes } from './models.ts';
import { openApiApp } from './openapi.ts';
import { preferenceRoutes } from './preferences.ts';
import { recommendationRoutes } from './recommendations.ts';
import { roomRoutes } from './rooms.ts';
import { staticRoutes } from './static.ts';
import { trackRoutes } from './tracks.ts';

export interface HttpDeps extends AppDeps {
  rooms: RoomService;
  realtime: 'memory' | 'redis';
  joinUrl: (code: string) => string;
  recs: RecommendationService;
  metrics: Metrics;
}

/**
 * One chained sub-app per area, mounted with app.route(); testable with app.request(). Every sub-app is an
 * OpenAPIHono, so mounting one also adds its routes to /openapi.json.
 */
export function createHttpApp(deps: HttpDeps): OpenAPIHono {
  const { config } = deps;
  const app = openApiApp();
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
  app.route('/api/recommendations', recommendationRoutes(deps));
  app.route('/api/compatibility', compatibilityRoutes(deps));
  app.route('/api/preferences', preferenceRoutes(deps));
  app.route('/api/models', modelRoutes({ recs: deps.recs, adminToken: config.adminToken }));
  app.route('/metrics', metricsRoutes(deps));
  mountDocs(app);
  app.route('/', staticRoutes()); // the demo web client; claims only /, /index.html and /assets/*
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: 'no such route' } }, 404));
  return app;
}
