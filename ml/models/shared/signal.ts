import { SIGNAL } from '../../types.ts';
import type { Interaction, ScoringContext } from '../../types.ts';

/** Signed strength of one interaction: the type's implicit signal times its optional weight. */
export function strength(x: Interaction): number {
  return SIGNAL[x.type] * (x.weight ?? 1);
}

/** Entity keys: users and rooms live in one id space inside models, prefixed so they never collide. */
export const userKey = (id: string): string => `u:${id}`;
export const roomKey = (id: string): string => `r:${id}`;

/** Whether the interaction should be credited to its user's own history. */
export function creditsUser(x: Interaction): boolean {
  return x.groupLevel !== true && x.userId !== '';
}

/**
 * The scoring context the server would have asked with when this interaction happened: inside a room the
 * room is served as a whole, so the context is the room and its members, not the acting user.
 */
export function contextOf(x: Interaction, members?: readonly string[]): ScoringContext {
  const ctx: ScoringContext = {
    hour: x.context.hour,
    weekday: x.context.weekday,
    mood: x.context.mood,
    activity: x.context.activity,
    now: x.createdAt,
  };
  if (x.roomId !== null) {
    ctx.roomId = x.roomId;
    const m = x.members ?? members;
    if (m !== undefined) ctx.members = m;
  } else {
    ctx.userId = x.userId;
  }
  return ctx;
}
