import type { Context } from 'hono';
import type { Logger } from '../../logger.ts';
import { AppError, HTTP_STATUS, isAppError, toWireError } from '../../errors.ts';

/** The one place HTTP turns thrown errors into `{error:{code,message}}` with a status; internals never leak. */
export function httpErrorHandler(log: Logger) {
  return (err: Error, c: Context) => {
    if (!isAppError(err)) log.error({ err }, 'unhandled HTTP error');
    const wire = toWireError(err);
    return c.json({ error: wire }, HTTP_STATUS[wire.code]);
  };
}

/** Parse a JSON body, mapping malformed JSON to VALIDATION rather than a 500. */
export async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch (cause) {
    throw new AppError('VALIDATION', 'body must be valid JSON', { cause });
  }
}
