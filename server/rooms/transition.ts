/**
 * Building Transitions. Handlers mutate a structuredClone of the input (never the input itself) and
 * hand it to commit(), which bumps the version exactly once — or returns the untouched input when
 * nothing changed, so "no change" is also visible by identity (t.room === room).
 */
import type { RoomCommand } from './command-types.ts';
import type { DomainInteraction, RoomChange, RoomEventRecord, RoomState, Transition } from './types.ts';

/**
 * payload = the command without `type`, so `{ type: event.type, ...event.payload }` rebuilds the command
 * and replaying it with now = the event's time reproduces the same version.
 */
export function eventOf(cmd: RoomCommand): RoomEventRecord {
  const { type, ...payload } = cmd;
  const actorId = 'actorId' in cmd ? cmd.actorId : cmd.type === 'join' ? cmd.actor.userId : null;
  return { type, actorId, payload };
}

export function unchanged<T>(
  room: RoomState,
  cmd: RoomCommand,
  result: T,
  interactions: DomainInteraction[] = [],
): Transition<T> {
  return { room, changes: [], interactions, event: eventOf(cmd), result };
}

export function commit<T>(
  prev: RoomState,
  draft: RoomState,
  changes: readonly RoomChange[],
  cmd: RoomCommand,
  result: T,
  interactions: DomainInteraction[] = [],
): Transition<T> {
  if (changes.length === 0) return unchanged(prev, cmd, result, interactions);
  draft.version = prev.version + 1;
  return { room: draft, changes: [...new Set(changes)], interactions, event: eventOf(cmd), result };
}

export const clone = (room: RoomState): RoomState => structuredClone(room);
