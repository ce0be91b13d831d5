import { z } from 'zod';
import { AppError } from '../../errors.ts';

/** zod parse that throws a typed VALIDATION error naming the first bad field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new AppError('VALIDATION', `${where}${issue?.message ?? 'invalid input'}`);
}
