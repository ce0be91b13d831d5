import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { RecommendationService } from '../../learning/types.ts';
import type { RoomService } from '../../services/types.ts';
import { id } from '../socket/schemas.ts';
import { errorResponses, jsonResponse, openApiApp } from './openapi.ts';
import { GroupRecsSchema, STRATEGIES, UserRecsSchema } from './recs-schemas.ts';
import { RoomCode } from './rooms.ts';

const k = z.coerce.number().int().min(1).max(50).default(10).openapi({ description: 'list length, 1..50' });

const forUser = createRoute({
  method: 'get',
  path: '/user/{userId}',
  tags: ['recommendations'],
  summary: "One user's recommendations",
  request: { params: z.object({ userId: id }), query: z.object({ k }) },
  responses: { 200: jsonResponse(UserRecsSchema, 'best first'), ...errorResponses('VALIDATION', 'NOT_FOUND') },
});

const forGroup = createRoute({
  method: 'get',
  path: '/group/{code}',
  tags: ['recommendations'],
  summary: "A room's group recommendations (the room's own strategy unless one is given)",
  request: {
    params: z.object({ code: RoomCode }),
    query: z.object({ k, strategy: z.enum(STRATEGIES).optional() }),
  },
  responses: { 200: jsonResponse(GroupRecsSchema, 'best first, with harmony and weights'), ...errorResponses('VALIDATION', 'NOT_FOUND') },
});

export function recommendationRoutes(deps: Pick<AppDeps, 'db'> & { recs: RecommendationService; rooms: RoomService }) {
  return openApiApp()
    .openapi(forUser, async (c) => {
      const { userId } = c.req.valid('param');
      const { k } = c.req.valid('query');
      // A typo'd id would otherwise get cold-start lists that look like an answer.
      if (!(await deps.db.repos.users.get(userId))) throw new AppError('NOT_FOUND', `no user ${userId}`);
      return c.json({ userId, items: await deps.recs.forUser(userId, k) }, 200);
    })
    .openapi(forGroup, async (c) => {
      const code = c.req.valid('param').code.toUpperCase();
      const { k, strategy } = c.req.valid('query');
      const room = await deps.rooms.summaryByCode(code);
      if (!room) throw new AppError('NOT_FOUND', `no room with code ${code}`);
      const event = await deps.recs.forRoom(room.roomId, { k, strategy });
      return c.json({ roomId: room.roomId, code: room.code, ...event }, 200);
    });
}
