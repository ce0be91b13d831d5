import { createMiddleware } from 'hono/factory';
import type { Auth } from '../../auth.ts';
import { AppError } from '../../errors.ts';

export interface AuthedVars {
  user: { userId: string; displayName: string };
}

/** `Authorization: Bearer <token>` → c.var.user, else UNAUTHORIZED. */
export function bearer(auth: Auth) {
  return createMiddleware<{ Variables: AuthedVars }>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('UNAUTHORIZED', 'missing bearer token');
    c.set('user', await auth.verify(match[1]));
    await next();
  });
}
