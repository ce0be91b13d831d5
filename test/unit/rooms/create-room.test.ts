import { describe, expect, it } from 'vitest';
import { createRoom } from '../../../server/rooms/create-room.ts';
import { playbackPositionAt, toSnapshot, wirePlayback } from '../../../server/rooms/snapshot.ts';
import { DEFAULT_SETTINGS } from '../../../server/rooms/types.ts';
import { T0, apply, expectCode, roomWith, step, withQueue } from './fixtures.ts';

describe('createRoom', () => {
  it('starts at version 1 with the creator as connected host and nothing playing', () => {
    const room = createRoom({ id: 'r', code: 'QWERTY', name: ' Friday ', host: { userId: 'u', displayName: 'U' }, now: T0 });
    expect(room.version).toBe(1);
    expect(room.name).toBe('Friday');
    expect(room.hostId).toBe('u');
    expect(room.members).toEqual([
      { userId: 'u', displayName: 'U', role: 'host', connected: true, joinedAt: T0, disconnectedAt: null, banned: false },
    ]);
    expect(room.playback).toMatchObject({ trackId: null, status: 'idle', positionMs: 0, at: T0 });
    expect(room.settings).toEqual(DEFAULT_SETTINGS);
    expect(room.queue).toEqual([]);
  });

  it('merges and validates settings', () => {
    const room = createRoom({ id: 'r', code: 'C', name: 'n', host: { userId: 'u', displayName: 'U' }, now: T0, settings: { queueMode: 'votes' } });
    expect(room.settings.queueMode).toBe('votes');
    expect(room.settings.skipThreshold).toBe(0.5);
    expectCode(
      () => createRoom({ id: 'r', code: 'C', name: 'n', host: { userId: 'u', displayName: 'U' }, now: T0, settings: { skipThreshold: 0 } }),
      'VALIDATION',
    );
    expectCode(() => createRoom({ id: 'r', code: 'C', name: '  ', host: { userId: 'u', displayName: 'U' }, now: T0 }), 'VALIDATION');
  });
});

describe('toSnapshot', () => {
  it('has the wire shape and hides banned members', () => {
    let room = withQueue(roomWith(['a', 'b']), [['a', 't1']]);
    room = step(room, { type: 'member:kick', actorId: 'h', userId: 'b', ban: true });
    const snap = toSnapshot(room);
    expect(snap).toEqual({
      roomId: 'r1',
      code: 'ABCDEF',
      name: 'Party',
      version: room.version,
      hostId: 'h',
      members: [
        { userId: 'h', displayName: 'Host', role: 'host', connected: true },
        { userId: 'a', displayName: 'A', role: 'member', connected: true },
      ],
      queue: [{ id: 'i-t1', trackId: 't1', addedBy: 'a', votes: 0, score: 1, autofill: false }],
      playback: { trackId: null, status: 'idle', positionMs: 0, at: T0, durationMs: null },
      settings: DEFAULT_SETTINGS,
      skipVotes: { count: 0, needed: 1 },
    });
  });

  it('does not share settings with the state', () => {
    const room = roomWith();
    const snap = toSnapshot(room);
    snap.settings.maxMembers = 1;
    expect(room.settings.maxMembers).toBe(500);
  });
});

describe('playback clock', () => {
  it('extrapolates while playing and clamps to the duration', () => {
    let room = withQueue(roomWith(), [['h', 't1', 10_000]]);
    room = step(room, { type: 'playback:play', actorId: 'h' }, T0 + 1_000);
    const pb = wirePlayback(room);
    expect(playbackPositionAt(pb, T0 + 1_000)).toBe(0);
    expect(playbackPositionAt(pb, T0 + 4_500)).toBe(3_500);
    expect(playbackPositionAt(pb, T0 + 60_000)).toBe(10_000);
  });

  it('stands still while paused and is 0 when idle', () => {
    let room = withQueue(roomWith(), [['h', 't1', 10_000]]);
    room = step(room, { type: 'playback:play', actorId: 'h' }, T0);
    room = apply(room, { type: 'playback:pause', actorId: 'h' }, T0 + 2_000).room;
    expect(room.playback).toMatchObject({ status: 'paused', positionMs: 2_000, at: T0 + 2_000 });
    expect(playbackPositionAt(room.playback, T0 + 9_000)).toBe(2_000);
    expect(playbackPositionAt(roomWith().playback, T0 + 9_000)).toBe(0);
  });
});
