import { Hono } from 'hono';
import type { AppDeps } from '../../deps.ts';
import type { RoomService } from '../../services/types.ts';

const startedAt = Date.now();

export function healthRoutes(deps: Pick<AppDeps, 'db' | 'interactionLog'> & { rooms: RoomService; realtime: 'memory' | 'redis' }) {
  return new Hono().get('/', async (c) => {
    const dbUp = await deps.db.ping().catch(() => false);
    const body = {
      status: dbUp ? 'ok' : 'degraded',
      database: deps.db.kind,
      databaseUp: dbUp,
      realtime: deps.realtime,
      interactionLog: deps.interactionLog.kind,
      rooms: deps.rooms.openRoomCount(),
      uptimeS: Math.round((Date.now() - startedAt) / 1000),
    };
    return c.json(body, dbUp ? 200 : 503);
  });
}
