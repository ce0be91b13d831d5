import { createHash, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../errors.ts';

// Both sides are hashed first so the comparison takes the same time whatever the lengths, and the
// configured token's length does not leak either.
const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Operator-only routes: `Authorization: Bearer <CHORUS_ADMIN_TOKEN>`, compared in constant time.
 * Without a configured token every admin route is FORBIDDEN, so a fresh install exposes none of them.
 */
export function adminOnly(adminToken: string | undefined) {
  const expected = adminToken ? digest(adminToken) : undefined;
  return createMiddleware(async (c, next) => {
    if (!expected) throw new AppError('FORBIDDEN', 'admin token not configured');
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!match?.[1]) throw new AppError('UNAUTHORIZED', 'missing bearer token');
    if (!timingSafeEqual(digest(match[1]), expected)) throw new AppError('FORBIDDEN', 'not the admin token');
    await next();
  });
}
