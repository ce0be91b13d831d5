import type { z } from 'zod';
import { AppError } from '../../errors.ts';

/** `path: message` of the first issue, the shape every VALIDATION error of the HTTP API has. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue?.message ?? 'invalid input'}`;
}

/** zod parse that throws a typed VALIDATION error naming the first bad field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError('VALIDATION', describeZodError(result.error));
}
