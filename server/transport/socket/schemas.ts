/**
 * One zod schema per client event. Objects are strict (unknown keys are an error, so typos surface),
 * strings are bounded and ids are restricted to a safe alphabet: nothing unbounded reaches the domain.
 */
import { z } from 'zod';
import type { ClientEventName } from './events.ts';

/** User, track and queue-item ids: catalog ids, uuids and nanoids all fit. */
export const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w:.-]+$/, 'must be an id');

/** Lenient on purpose: any well-formed code that matches no room is NOT_FOUND, not VALIDATION. */
const roomCode = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9-]+$/, 'must be a room code')
  .transform((s) => s.toUpperCase().replaceAll('-', ''));

const empty = z.strictObject({});
const label = z.string().trim().max(40);
const DAY_MS = 24 * 60 * 60 * 1000;

export const settingsPatch = z
  .strictObject({
    guestControls: z.boolean(),
    queueMode: z.enum(['fifo', 'votes', 'round-robin']),
    skipThreshold: z.number().gt(0).lte(1),
    maxQueuedPerMember: z.number().int().min(1).max(100),
    maxMembers: z.number().int().min(1).max(500),
    autoplay: z.boolean(),
    strategy: z.enum(['average', 'least-misery', 'most-pleasure', 'fair']),
    mood: label.optional(),
    activity: label.optional(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'at least one setting is required');

export const schemas = {
  'room:join': z.strictObject({ code: roomCode }),
  'room:leave': empty,
  'room:sync': empty,
  'queue:add': z.strictObject({ trackId: id }),
  'queue:remove': z.strictObject({ itemId: id }),
  'queue:move': z.strictObject({ itemId: id, toIndex: z.number().int().min(0).max(10_000) }),
  'queue:vote': z.strictObject({ itemId: id, value: z.union([z.literal(-1), z.literal(0), z.literal(1)]) }),
  'playback:play': z.strictObject({ trackId: id.optional() }),
  'playback:pause': empty,
  'playback:seek': z.strictObject({ positionMs: z.number().int().min(0).max(DAY_MS) }),
  'playback:skip': empty,
  'skip:vote': empty,
  'track:react': z.strictObject({ trackId: id, reaction: z.enum(['like', 'dislike']) }),
  'room:settings': settingsPatch,
  'member:kick': z.strictObject({ userId: id, ban: z.boolean().optional() }),
  'host:transfer': z.strictObject({ userId: id }),
  // Any finite number: the server only echoes it back.
  'time:sync': z.strictObject({ t0: z.number() }),
} satisfies Record<ClientEventName, z.ZodType>;

export type ParsedPayload<E extends ClientEventName> = z.output<(typeof schemas)[E]>;

const MAX_MESSAGE = 200;

/** First issue, naming the field: `toIndex: Too small: expected number to be >=0`. No input echoed at length. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid payload';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'payload';
  const text = `${where}: ${issue.message}`;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}
