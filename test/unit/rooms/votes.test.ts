import { describe, expect, it } from 'vitest';
import { skipVotesNeeded } from '../../../server/rooms/votes.ts';
import { toSnapshot } from '../../../server/rooms/snapshot.ts';
import { T0, apply, expectCode, roomWith, step, withQueue } from './fixtures.ts';

/** Host + n-1 members, t1 playing and t2 queued. */
function playingRoom(n: number, skipThreshold = 0.5) {
  const ids = Array.from({ length: n - 1 }, (_, i) => `m${i}`);
  const room = withQueue(roomWith(ids, { skipThreshold }), [['h', 't1'], ['h', 't2']]);
  return step(room, { type: 'playback:play', actorId: 'h' }, T0);
}

describe('skip:vote', () => {
  it('needs ceil(threshold × connected) votes', () => {
    expect(skipVotesNeeded(playingRoom(4))).toBe(2);
    expect(skipVotesNeeded(playingRoom(5))).toBe(3);
    expect(skipVotesNeeded(playingRoom(1))).toBe(1);
    expect(skipVotesNeeded(playingRoom(10, 0.3))).toBe(3);
    expect(skipVotesNeeded(playingRoom(3, 1))).toBe(3);
  });

  it('counts once per member and skips at the threshold', () => {
    let room = playingRoom(5);
    const first = apply(room, { type: 'skip:vote', actorId: 'm0' }, T0 + 1);
    expect(first.result).toEqual({ count: 1, needed: 3, skipped: false });
    expect(first.interactions).toEqual([{ userId: 'm0', trackId: 't1', type: 'skip_vote' }]);
    expect(first.changes).toEqual(['skipVotes']);
    const again = apply(first.room, { type: 'skip:vote', actorId: 'm0' }, T0 + 2);
    expect(again.changes).toEqual([]);
    expect(again.interactions).toEqual([]);
    room = step(first.room, { type: 'skip:vote', actorId: 'm1' }, T0 + 3);
    expect(toSnapshot(room).skipVotes).toEqual({ count: 2, needed: 3 });
    const last = apply(room, { type: 'skip:vote', actorId: 'm2' }, T0 + 4);
    expect(last.result).toEqual({ count: 3, needed: 3, skipped: true });
    expect(last.room.playback).toMatchObject({ trackId: 't2', at: T0 + 4, positionMs: 0 });
    expect(last.room.skipVotes).toEqual([]);
    expect(last.changes).toEqual(expect.arrayContaining(['playback', 'queue', 'skipVotes']));
  });

  it('only connected members count, on both sides of the fraction', () => {
    let room = playingRoom(5);
    room = step(room, { type: 'skip:vote', actorId: 'm0' });
    room = step(room, { type: 'skip:vote', actorId: 'm1' });
    room = step(room, { type: 'disconnect', actorId: 'm1' });
    expect(toSnapshot(room).skipVotes).toEqual({ count: 1, needed: 2 });
    room = step(room, { type: 'disconnect', actorId: 'm3' });
    expect(toSnapshot(room).skipVotes).toEqual({ count: 1, needed: 2 });
    expect(apply(room, { type: 'skip:vote', actorId: 'm2' }).result.skipped).toBe(true);
  });

  it('a repeated vote re-checks the threshold after others left', () => {
    let room = playingRoom(5);
    room = step(room, { type: 'skip:vote', actorId: 'm0' });
    room = step(room, { type: 'skip:vote', actorId: 'm1' });
    room = step(room, { type: 'leave', actorId: 'm2' });
    room = step(room, { type: 'leave', actorId: 'm3' });
    expect(room.playback.trackId).toBe('t1');
    const t = apply(room, { type: 'skip:vote', actorId: 'm0' });
    expect(t.result).toEqual({ count: 2, needed: 2, skipped: true });
    expect(t.interactions).toEqual([{ userId: 'h', trackId: 't2', type: 'play' }]);
  });

  it('resets on every track change', () => {
    let room = playingRoom(5);
    room = step(room, { type: 'skip:vote', actorId: 'm0' });
    room = step(room, { type: 'playback:skip', actorId: 'h' });
    expect(room.skipVotes).toEqual([]);
  });

  it('is a CONFLICT when nothing plays, FORBIDDEN for strangers', () => {
    expectCode(() => apply(roomWith(['a']), { type: 'skip:vote', actorId: 'a' }), 'CONFLICT');
    expectCode(() => apply(playingRoom(2), { type: 'skip:vote', actorId: 'zz' }), 'FORBIDDEN');
  });
});

describe('track:react', () => {
  it('records like/dislike without changing the room', () => {
    const room = roomWith(['a']);
    const like = apply(room, { type: 'track:react', actorId: 'a', trackId: 't9', reaction: 'like' });
    expect(like.changes).toEqual([]);
    expect(like.room).toBe(room);
    expect(like.interactions).toEqual([{ userId: 'a', trackId: 't9', type: 'like' }]);
    const dislike = apply(room, { type: 'track:react', actorId: 'a', trackId: 't9', reaction: 'dislike' });
    expect(dislike.interactions[0]?.type).toBe('dislike');
    expectCode(() => apply(room, { type: 'track:react', actorId: 'zz', trackId: 't9', reaction: 'like' }), 'FORBIDDEN');
  });
});
