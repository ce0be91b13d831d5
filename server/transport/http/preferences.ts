import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../../deps.ts';
import type { RecommendationService } from '../../learning/types.ts';
import { bearer } from './bearer.ts';
import { BEARER, errorResponses, jsonBody, jsonResponse, openApiApp } from './openapi.ts';
import { PreferencesSchema } from './recs-schemas.ts';

const name = z.string().trim().min(1).max(80);
// Same bound as a room's mood/activity label (server/rooms/settings.ts LIMITS.label).
const label = z.string().trim().max(40);

const PreferencesBody = z
  .strictObject({
    genres: z.array(name).max(20).optional(),
    artists: z.array(name).max(50).optional(),
    mood: label.optional(),
    activity: label.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'give at least one of genres, artists, mood, activity')
  .openapi('PreferencesUpdate');

export function preferenceRoutes(deps: Pick<AppDeps, 'auth'> & { recs: RecommendationService }) {
  const update = createRoute({
    method: 'post',
    path: '/update',
    tags: ['recommendations'],
    summary: "Declare the caller's taste (cold start); merged into what was declared before",
    security: [{ [BEARER]: [] }],
    middleware: bearer(deps.auth),
    request: { body: jsonBody(PreferencesBody) },
    responses: {
      200: jsonResponse(z.object({ userId: z.string(), preferences: PreferencesSchema }), 'the merged preferences'),
      ...errorResponses('VALIDATION', 'UNAUTHORIZED', 'NOT_FOUND'),
    },
  });

  return openApiApp().openapi(update, async (c) => {
    const { userId } = c.get('user');
    const preferences = await deps.recs.setPreferences(userId, c.req.valid('json'));
    return c.json({ userId, preferences }, 200);
  });
}
