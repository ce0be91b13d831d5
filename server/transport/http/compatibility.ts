import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { RecommendationService } from '../../learning/types.ts';
import { id } from '../socket/schemas.ts';
import { errorResponses, jsonResponse, openApiApp } from './openapi.ts';
import { CompatibilitySchema } from './recs-schemas.ts';

const score = createRoute({
  method: 'get',
  path: '/score',
  tags: ['recommendations'],
  summary: 'How well two users’ tastes match (0..100), with the shared artists, genres and features',
  request: { query: z.object({ a: id, b: id }) },
  responses: { 200: jsonResponse(CompatibilitySchema, 'score and reasons'), ...errorResponses('VALIDATION', 'NOT_FOUND') },
});

export function compatibilityRoutes(deps: Pick<AppDeps, 'db'> & { recs: RecommendationService }) {
  return openApiApp().openapi(score, async (c) => {
    const { a, b } = c.req.valid('query');
    for (const userId of new Set([a, b])) {
      if (!(await deps.db.repos.users.get(userId))) throw new AppError('NOT_FOUND', `no user ${userId}`);
    }
    return c.json(await deps.recs.compatibility(a, b), 200);
  });
}
