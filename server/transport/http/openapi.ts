/**
 * Shared pieces of the OpenAPI-described HTTP API: the sub-app factory (whose validation failures become
 * AppError VALIDATION, so the project's `{error:{code,message}}` shape holds for every route), the error
 * body schema, the per-route error responses and the two security schemes.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { AppError, ERROR_CODES, HTTP_STATUS, type ErrorCode } from '../../errors.ts';
import { describeZodError } from './validate.ts';

/** Security scheme names used in routes' `security` and registered on the root app. */
export const BEARER = 'bearer';
export const ADMIN = 'admin';

/**
 * Every sub-app is built with this hook: zod-openapi's own default answers a raw ZodError body, which
 * would bypass the error handler and leak a second error shape to clients.
 */
export function openApiApp<E extends Env = Env>() {
  return new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) throw new AppError('VALIDATION', describeZodError(result.error));
    },
  });
}

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
    }),
  })
  .openapi('Error');

/** OpenAPI responses for the error codes a route can answer (statuses from the shared table). */
export function errorResponses(...codes: ErrorCode[]) {
  const out: Record<string, { description: string; content: { 'application/json': { schema: typeof ErrorBody } } }> = {};
  for (const code of codes) {
    const status = String(HTTP_STATUS[code]);
    const prev = out[status];
    out[status] = {
      description: prev ? `${prev.description} or ${code}` : code,
      content: { 'application/json': { schema: ErrorBody } },
    };
  }
  return out;
}

/** A JSON request body that must be present (an optional one would let a missing body skip validation). */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { required: true, description, content: { 'application/json': { schema } } } as const;
}

/** A JSON 2xx response. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}
