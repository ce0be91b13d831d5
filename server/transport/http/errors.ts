import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../../logger.ts';
import { AppError, HTTP_STATUS, isAppError, toWireError, type ErrorCode } from '../../errors.ts';

/**
 * Hono's own middleware (the validators behind @hono/zod-openapi: malformed JSON, unsupported media
 * type) throws HTTPException; give those a project code so clients see one error shape. Their messages
 * are Hono's fixed texts, safe to pass on.
 */
function fromHttpException(e: HTTPException): AppError {
  const byStatus: Partial<Record<number, ErrorCode>> = {
    400: 'VALIDATION',
    401: 'UNAUTHORIZED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    409: 'CONFLICT',
    413: 'VALIDATION',
    415: 'VALIDATION',
    422: 'VALIDATION',
    429: 'RATE_LIMITED',
    503: 'UNAVAILABLE',
  };
  const code = byStatus[e.status];
  if (!code) return new AppError('INTERNAL', 'internal error', { cause: e });
  const message = e.status === 415 ? 'body must be JSON (content-type: application/json)' : e.message;
  return new AppError(code, message || code.toLowerCase(), { cause: e });
}

/** The one place HTTP turns thrown errors into `{error:{code,message}}` with a status; internals never leak. */
export function httpErrorHandler(log: Logger) {
  return (err: Error, c: Context) => {
    const mapped = err instanceof HTTPException ? fromHttpException(err) : err;
    if (!isAppError(mapped) || mapped.code === 'INTERNAL') log.error({ err }, 'unhandled HTTP error');
    const wire = toWireError(mapped);
    return c.json({ error: wire }, HTTP_STATUS[wire.code]);
  };
}
