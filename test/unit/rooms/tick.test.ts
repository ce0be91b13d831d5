import { describe, expect, it } from 'vitest';
import { nextDeadline } from '../../../server/rooms/commands.ts';
import { T0, apply, roomWith, step, withQueue } from './fixtures.ts';

const GRACE = 30_000;
const tick = { type: 'tick', hostGraceMs: GRACE } as const;

describe('tick: track ends', () => {
  const start = () => {
    const room = withQueue(roomWith(['a', 'b']), [['a', 't1', 10_000], ['b', 't2', 20_000], ['a', 't3', 30_000]]);
    return step(room, { type: 'playback:play', actorId: 'h' }, T0);
  };

  it('does nothing before the end', () => {
    const t = apply(start(), tick, T0 + 9_999);
    expect(t.changes).toEqual([]);
    expect(t.event).toEqual({ type: 'tick', actorId: null, payload: { hostGraceMs: GRACE } });
  });

  it('advances at the end with the next start set to the exact end time', () => {
    const t = apply(start(), tick, T0 + 10_250);
    expect(t.room.playback).toMatchObject({ trackId: 't2', status: 'playing', positionMs: 0, at: T0 + 10_000 });
    expect(t.result.completed).toBe(1);
    expect(t.interactions).toEqual([
      { userId: 'a', trackId: 't1', type: 'complete' },
      { userId: 'b', trackId: 't2', type: 'play' },
    ]);
  });

  it('advances across several ended tracks in one tick, then idles', () => {
    const mid = apply(start(), tick, T0 + 35_000);
    expect(mid.room.playback).toMatchObject({ trackId: 't3', at: T0 + 30_000 });
    expect(mid.result.completed).toBe(2);
    expect(mid.room.version).toBe(start().version + 1);
    const end = apply(start(), tick, T0 + 10 * 60_000);
    expect(end.result.completed).toBe(3);
    expect(end.room.playback).toMatchObject({ trackId: null, status: 'idle', at: T0 + 60_000 });
    expect(end.room.queue).toEqual([]);
    expect(end.interactions.filter((i) => i.type === 'complete').map((i) => i.trackId)).toEqual(['t1', 't2', 't3']);
  });

  it('a seek or pause moves the end', () => {
    let room = step(start(), { type: 'playback:seek', actorId: 'h', positionMs: 8_000 }, T0 + 1_000);
    expect(nextDeadline(room, GRACE)).toBe(T0 + 3_000);
    room = step(room, { type: 'playback:pause', actorId: 'h' }, T0 + 2_000);
    expect(nextDeadline(room, GRACE)).toBeNull();
    expect(apply(room, tick, T0 + 60_000).changes).toEqual([]);
  });

  it('uses the autofill once when the queue runs dry and autoplay is on', () => {
    let room = step(withQueue(roomWith(), [['h', 't1', 1_000]]), { type: 'playback:play', actorId: 'h' }, T0);
    const autofill = { itemId: 'af', trackId: 'rec', durationMs: 5_000 };
    const t = apply(room, { ...tick, autofill }, T0 + 2_000);
    expect(t.room.playback).toMatchObject({ trackId: 'rec', at: T0 + 1_000, autofill: true, addedBy: null });
    // Past the autofill too: it is not reused.
    const past = apply(room, { ...tick, autofill }, T0 + 9_000);
    expect(past.room.playback).toMatchObject({ status: 'idle', at: T0 + 6_000 });
    expect(past.interactions).toEqual([{ userId: 'h', trackId: 't1', type: 'complete' }]);
    room = step(room, { type: 'room:settings', actorId: 'h', patch: { autoplay: false } });
    expect(apply(room, { ...tick, autofill }, T0 + 2_000).room.playback.status).toBe('idle');
  });
});

describe('tick: host grace', () => {
  it('hands over to the longest-present connected member after the grace', () => {
    let room = roomWith(['a', 'b', 'c']);
    room = step(room, { type: 'disconnect', actorId: 'a' }, T0 + 100);
    room = step(room, { type: 'disconnect', actorId: 'h' }, T0 + 1_000);
    expect(nextDeadline(room, GRACE)).toBe(T0 + 31_000);
    expect(apply(room, tick, T0 + 30_999).changes).toEqual([]);
    const t = apply(room, tick, T0 + 31_000);
    expect(t.room.hostId).toBe('b');
    expect(t.room.members.find((m) => m.userId === 'h')?.role).toBe('member');
    expect(t.changes).toEqual(['host', 'members']);
    // The old host coming back is a member now.
    expect(step(t.room, { type: 'join', actor: { userId: 'h', displayName: 'Host' } }).hostId).toBe('b');
  });

  it('stays with the absent host when nobody is connected', () => {
    let room = roomWith(['a']);
    room = step(room, { type: 'disconnect', actorId: 'a' });
    room = step(room, { type: 'disconnect', actorId: 'h' });
    expect(nextDeadline(room, GRACE)).toBeNull();
    expect(apply(room, tick, T0 + 10 * GRACE).room.hostId).toBe('h');
    // Someone reconnecting makes the overdue hand-over due at once.
    room = step(room, { type: 'join', actor: { userId: 'a', displayName: 'A' } }, T0 + 10 * GRACE);
    expect(nextDeadline(room, GRACE)).toBe(T0 + GRACE);
    expect(apply(room, tick, T0 + 10 * GRACE).room.hostId).toBe('a');
  });
});

describe('nextDeadline', () => {
  it('is null for a quiet room and the earliest of track end and grace otherwise', () => {
    expect(nextDeadline(roomWith(['a']), GRACE)).toBeNull();
    let room = step(withQueue(roomWith(['a']), [['a', 't1', 60_000]]), { type: 'playback:play', actorId: 'h' }, T0);
    expect(nextDeadline(room, GRACE)).toBe(T0 + 60_000);
    room = step(room, { type: 'disconnect', actorId: 'h' }, T0 + 1_000);
    expect(nextDeadline(room, GRACE)).toBe(T0 + 31_000);
  });
});
