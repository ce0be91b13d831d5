import { createRoute, z } from '@hono/zod-openapi';
import type { RecommendationService } from '../../learning/types.ts';
import { adminOnly } from './admin.ts';
import { ADMIN, errorResponses, jsonResponse, openApiApp } from './openapi.ts';
import { LearnerStatusSchema, ModelVersionSchema } from './recs-schemas.ts';

const list = createRoute({
  method: 'get',
  path: '/',
  tags: ['models'],
  summary: 'Model registry versions (newest first) and the live learner status',
  responses: {
    200: jsonResponse(z.object({ versions: z.array(ModelVersionSchema), status: LearnerStatusSchema }), 'registry and status'),
  },
});

export function modelRoutes(deps: { recs: RecommendationService; adminToken: string | undefined }) {
  const admin = adminOnly(deps.adminToken);
  const adminErrors = errorResponses('UNAUTHORIZED', 'FORBIDDEN');

  const activate = createRoute({
    method: 'post',
    path: '/{version}/activate',
    tags: ['models'],
    summary: 'Roll the live learner back (or forward) to a stored version',
    security: [{ [ADMIN]: [] }],
    middleware: admin,
    request: { params: z.object({ version: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }) },
    responses: {
      200: jsonResponse(ModelVersionSchema, 'the version now live'),
      ...adminErrors,
      ...errorResponses('VALIDATION', 'NOT_FOUND'),
    },
  });

  const snapshot = createRoute({
    method: 'post',
    path: '/snapshot',
    tags: ['models'],
    summary: 'Store a snapshot of every model and the ensemble now',
    security: [{ [ADMIN]: [] }],
    middleware: admin,
    responses: { 201: jsonResponse(ModelVersionSchema, 'the new version'), ...adminErrors },
  });

  return openApiApp()
    .openapi(list, async (c) => c.json({ versions: await deps.recs.models(), status: deps.recs.status() }, 200))
    .openapi(snapshot, async (c) => c.json(await deps.recs.snapshot('manual'), 201))
    .openapi(activate, async (c) => c.json(await deps.recs.activate(c.req.valid('param').version), 200));
}
