import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../../deps.ts';
import { errorResponses, jsonBody, jsonResponse, openApiApp } from './openapi.ts';

const GuestBody = z.strictObject({
  displayName: z.string().trim().min(1).max(40),
});

const Guest = z.object({ userId: z.string(), token: z.string() }).openapi('Guest');

const createGuest = createRoute({
  method: 'post',
  path: '/',
  tags: ['guests'],
  summary: 'Create a guest identity and its bearer token',
  request: { body: jsonBody(GuestBody) },
  responses: { 201: jsonResponse(Guest, 'the new guest and a token for `Authorization: Bearer`'), ...errorResponses('VALIDATION') },
});

export function guestRoutes(deps: Pick<AppDeps, 'db' | 'auth'>) {
  return openApiApp().openapi(createGuest, async (c) => {
    const { displayName } = c.req.valid('json');
    const user = await deps.db.repos.users.create(displayName);
    const token = await deps.auth.issue(user.id, user.displayName);
    return c.json({ userId: user.id, token }, 201);
  });
}
