/**
 * One small error hierarchy with machine-readable codes shared with clients.
 * Domain and storage code throw AppError; the transport edge converts anything else to INTERNAL
 * so internal messages never leak.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'ROOM_FULL',
  'RATE_LIMITED',
  'CONFLICT',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
export const isErrorCode = (s: string): s is ErrorCode => (ERROR_CODES as readonly string[]).includes(s);

/** HTTP status for each code, used by the Hono edge. */
export const HTTP_STATUS: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 429 | 503 | 500> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROOM_FULL: 409,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface WireError {
  code: ErrorCode;
  message: string;
}

/** Convert anything thrown into what a client may see. Unknown errors become a generic INTERNAL. */
export function toWireError(e: unknown): WireError {
  if (isAppError(e)) return { code: e.code, message: e.message };
  return { code: 'INTERNAL', message: 'internal error' };
}
