/** Room builders for the domain tests. apply() freezes its input so any mutation throws. */
import { expect } from 'vitest';
import { isAppError } from '../../../server/errors.ts';
import type { ErrorCode } from '../../../server/errors.ts';
import { applyCommand } from '../../../server/rooms/commands.ts';
import type { RoomCommand } from '../../../server/rooms/commands.ts';
import { createRoom } from '../../../server/rooms/create-room.ts';
import type { RoomSettings, RoomState } from '../../../server/rooms/types.ts';

export const T0 = 1_700_000_000_000;

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Applies with a frozen input, then checks the input is untouched and the version rule holds. */
export function apply<C extends RoomCommand>(room: RoomState, cmd: C, now = T0) {
  const before = structuredClone(room);
  const t = applyCommand(deepFreeze(room), cmd, now);
  expect(room).toEqual(before);
  if (t.changes.length === 0) {
    expect(t.room.version).toBe(room.version);
    expect(t.room).toBe(room);
  } else {
    expect(t.room.version).toBe(room.version + 1);
  }
  return t;
}

/** Like apply, but returns only the new room. */
export const step = <C extends RoomCommand>(room: RoomState, cmd: C, now = T0): RoomState => apply(room, cmd, now).room;

export function expectCode(fn: () => unknown, code: ErrorCode, message?: RegExp): void {
  try {
    fn();
  } catch (e) {
    if (!isAppError(e)) throw e;
    expect(e.code).toBe(code);
    if (message) expect(e.message).toMatch(message);
    return;
  }
  expect.fail(`expected ${code}`);
}

/** host "h" plus members joined one millisecond apart, in the order given. */
export function roomWith(memberIds: readonly string[] = [], settings: Partial<RoomSettings> = {}): RoomState {
  let room = createRoom({
    id: 'r1',
    code: 'ABCDEF',
    name: 'Party',
    host: { userId: 'h', displayName: 'Host' },
    now: T0,
    settings,
  });
  memberIds.forEach((userId, i) => {
    room = applyCommand(room, { type: 'join', actor: { userId, displayName: userId.toUpperCase() } }, T0 + i + 1).room;
  });
  return room;
}

/** Adds tracks as [adder, trackId, durationMs?]; item id = `i-${trackId}`. */
export function withQueue(room: RoomState, items: readonly [string, string, number?][], now = T0 + 100): RoomState {
  return items.reduce(
    (r, [actorId, trackId, durationMs = 180_000], i) =>
      applyCommand(r, { type: 'queue:add', actorId, itemId: `i-${trackId}`, trackId, durationMs }, now + i).room,
    room,
  );
}

export const trackIds = (room: RoomState): string[] => room.queue.map((i) => i.trackId);
