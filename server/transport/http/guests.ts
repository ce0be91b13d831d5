import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { readJson } from './errors.ts';
import { parseOrThrow } from './validate.ts';

const GuestBody = z.strictObject({
  displayName: z.string().trim().min(1).max(40),
});

export function guestRoutes(deps: Pick<AppDeps, 'db' | 'auth'>) {
  return new Hono().post('/', async (c) => {
    const { displayName } = parseOrThrow(GuestBody, await readJson(c));
    const user = await deps.db.repos.users.create(displayName);
    const token = await deps.auth.issue(user.id, user.displayName);
    return c.json({ userId: user.id, token }, 201);
  });
}
