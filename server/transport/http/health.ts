import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../../deps.ts';
import type { RoomService } from '../../services/types.ts';
import { jsonResponse, openApiApp } from './openapi.ts';

const startedAt = Date.now();

const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    database: z.enum(['pglite', 'postgres']),
    databaseUp: z.boolean(),
    realtime: z.enum(['memory', 'redis']),
    interactionLog: z.enum(['memory', 'redis']),
    rooms: z.number().int(),
    uptimeS: z.number().int(),
  })
  .openapi('Health');

const health = createRoute({
  method: 'get',
  path: '/',
  tags: ['operations'],
  summary: 'Liveness and the seams in use (503 while the database is unreachable)',
  responses: { 200: jsonResponse(Health, 'healthy'), 503: jsonResponse(Health, 'the database is unreachable') },
});

export function healthRoutes(deps: Pick<AppDeps, 'db' | 'interactionLog'> & { rooms: RoomService; realtime: 'memory' | 'redis' }) {
  return openApiApp().openapi(health, async (c) => {
    const dbUp = await deps.db.ping().catch(() => false);
    const body = {
      status: dbUp ? ('ok' as const) : ('degraded' as const),
      database: deps.db.kind,
      databaseUp: dbUp,
      realtime: deps.realtime,
      interactionLog: deps.interactionLog.kind,
      rooms: deps.rooms.openRoomCount(),
      uptimeS: Math.round((Date.now() - startedAt) / 1000),
    };
    return dbUp ? c.json(body, 200) : c.json(body, 503);
  });
}
