/** Random command sequences (fixed seed): whatever is thrown at the domain, its invariants hold. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../server/errors.ts';
import { applyCommand, isEmpty } from '../../../server/rooms/commands.ts';
import type { RoomCommand } from '../../../server/rooms/commands.ts';
import { toSnapshot } from '../../../server/rooms/snapshot.ts';
import type { RoomState } from '../../../server/rooms/types.ts';
import { T0, deepFreeze, roomWith } from './fixtures.ts';

// Biased to the first host so host-only commands get through often enough to matter.
const user = fc.oneof(
  { weight: 3, arbitrary: fc.constant('h') },
  { weight: 4, arbitrary: fc.constantFrom('u1', 'u2', 'u3', 'u4') },
);
const track = fc.constantFrom('t0', 't1', 't2', 't3', 't4', 't5');
const item = fc.constantFrom('i0', 'i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7');
const duration = fc.integer({ min: 1, max: 60_000 });
const autofill = fc.option(fc.record({ itemId: item, trackId: track, durationMs: duration }), { nil: undefined });


const w = <T,>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
const vote = fc.constantFrom(-1 as const, 0 as const, 1 as const);
const reaction = fc.constantFrom('like' as const, 'dislike' as const);
const settingsPatch = fc.record(
  {
    guestControls: fc.boolean(),
    queueMode: fc.constantFrom('fifo' as const, 'votes' as const, 'round-robin' as const),
    skipThreshold: fc.constantFrom(0.1, 0.3, 0.5, 1),
    maxQueuedPerMember: fc.integer({ min: 1, max: 4 }),
    maxMembers: fc.integer({ min: 1, max: 6 }),
    autoplay: fc.boolean(),
  },
  { requiredKeys: [] },
);
const maybe = <T,>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

// Weights favour the commands whose preconditions (a queue, a track playing) are rarely met by chance.
const command: fc.Arbitrary<RoomCommand> = fc.oneof(
  w(1, fc.record({ type: fc.constant('join' as const), actor: fc.record({ userId: user, displayName: fc.constantFrom('A', 'B') }) })),
  w(1, fc.record({ type: fc.constant('leave' as const), actorId: user })),
  w(1, fc.record({ type: fc.constant('disconnect' as const), actorId: user })),
  w(6, fc.record({ type: fc.constant('queue:add' as const), actorId: user, itemId: item, trackId: track, durationMs: duration, autofill: maybe(fc.boolean()) })),
  w(3, fc.record({ type: fc.constant('queue:remove' as const), actorId: user, itemId: item })),
  w(4, fc.record({ type: fc.constant('queue:move' as const), actorId: user, itemId: item, toIndex: fc.integer({ min: -2, max: 10 }) })),
  w(3, fc.record({ type: fc.constant('queue:vote' as const), actorId: user, itemId: item, value: vote })),
  w(4, fc.record({ type: fc.constant('playback:play' as const), actorId: user, trackId: maybe(track), durationMs: maybe(duration) })),
  w(2, fc.record({ type: fc.constant('playback:pause' as const), actorId: user })),
  w(2, fc.record({ type: fc.constant('playback:seek' as const), actorId: user, positionMs: fc.integer({ min: -100, max: 70_000 }) })),
  w(2, fc.record({ type: fc.constant('playback:skip' as const), actorId: user, autofill })),
  w(4, fc.record({ type: fc.constant('skip:vote' as const), actorId: user, autofill })),
  w(1, fc.record({ type: fc.constant('track:react' as const), actorId: user, trackId: track, reaction })),
  w(1, fc.record({ type: fc.constant('room:settings' as const), actorId: user, patch: settingsPatch })),
  w(1, fc.record({ type: fc.constant('member:kick' as const), actorId: user, userId: user, ban: maybe(fc.boolean()) })),
  w(1, fc.record({ type: fc.constant('host:transfer' as const), actorId: user, userId: user })),
  w(3, fc.record({ type: fc.constant('tick' as const), hostGraceMs: fc.constantFrom(0, 5_000, 30_000), autofill })),
);

function checkInvariants(room: RoomState): void {
  const active = room.members.filter((m) => !m.banned);
  if (!isEmpty(room)) {
    const hosts = active.filter((m) => m.role === 'host');
    expect(hosts.map((m) => m.userId)).toEqual([room.hostId]);
  }
  expect(room.members.filter((m) => m.role === 'host' && m.banned)).toEqual([]);
  expect(room.members.filter((m) => m.banned && m.connected)).toEqual([]);
  expect(new Set(room.members.map((m) => m.userId)).size).toBe(room.members.length);
  expect(new Set(room.queue.map((i) => i.id)).size).toBe(room.queue.length);
  expect(new Set(room.skipVotes).size).toBe(room.skipVotes.length);
  for (const id of room.skipVotes) expect(active.some((m) => m.userId === id)).toBe(true);
  const pb = room.playback;
  if (pb.status === 'idle') expect(pb.trackId).toBeNull();
  else {
    expect(pb.trackId).not.toBeNull();
    expect(pb.durationMs).toBeGreaterThan(0);
    expect(pb.positionMs).toBeGreaterThanOrEqual(0);
    expect(pb.positionMs).toBeLessThanOrEqual(pb.durationMs ?? 0);
  }
  const snap = toSnapshot(room);
  expect(snap.queue).toHaveLength(room.queue.length);
  expect(snap.members).toHaveLength(active.length);
}

describe('room domain invariants', () => {
  it('hold under random command sequences', () => {
    // Which commands actually changed a room (or, for reactions, produced interactions): proof the
    // generator reaches deep states rather than bouncing off permission errors.
    const effective = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(fc.tuple(command, fc.integer({ min: 0, max: 20_000 })), { minLength: 20, maxLength: 120, size: 'max' }), (steps) => {
        let room = roomWith(['u1', 'u2']);
        let now = T0 + 10;
        for (const [cmd, dt] of steps) {
          now += dt;
          let next: RoomState;
          try {
            // Frozen input: any mutation throws a TypeError, which is not an AppError and fails the run.
            const t = applyCommand(deepFreeze(room), cmd, now);
            if (t.changes.length === 0) {
              expect(t.room).toBe(room);
            } else {
              expect(t.room.version).toBe(room.version + 1);
            }
            for (const i of t.interactions) expect(i.userId).not.toBe('');
            if (t.changes.length > 0 || t.interactions.length > 0) {
              effective.set(cmd.type, (effective.get(cmd.type) ?? 0) + 1);
            }
            next = t.room;
          } catch (e) {
            if (!isAppError(e)) throw e;
            expect(e.code).not.toBe('INTERNAL');
            next = room;
          }
          checkInvariants(next);
          room = next;
        }
      }),
      { seed: 20240601, numRuns: 200 },
    );
    const types: RoomCommand['type'][] = [
      'join', 'leave', 'disconnect', 'queue:add', 'queue:remove', 'queue:move', 'queue:vote', 'playback:play',
      'playback:pause', 'playback:seek', 'playback:skip', 'skip:vote', 'track:react', 'room:settings',
      'member:kick', 'host:transfer', 'tick',
    ];
    for (const type of types) expect(effective.get(type) ?? 0, type).toBeGreaterThan(10);
  });
});
