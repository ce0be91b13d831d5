import { describe, expect, it } from 'vitest';
import { T0, apply, expectCode, roomWith, step, trackIds, withQueue } from './fixtures.ts';

describe('queue:add', () => {
  it('adds an item, returns its wire form and records queue_add', () => {
    const t = apply(roomWith(['a']), { type: 'queue:add', actorId: 'a', itemId: 'i1', trackId: 't1', durationMs: 1000 }, T0 + 3);
    expect(t.result).toEqual({ item: { id: 'i1', trackId: 't1', addedBy: 'a', votes: 0, score: 1, autofill: false } });
    expect(t.room.queue[0]).toEqual({ id: 'i1', trackId: 't1', addedBy: 'a', addedAt: T0 + 3, durationMs: 1000, votes: {}, autofill: false });
    expect(t.interactions).toEqual([{ userId: 'a', trackId: 't1', type: 'queue_add' }]);
    expect(t.changes).toEqual(['queue']);
  });

  it('does not start an idle room', () => {
    const t = apply(roomWith(), { type: 'queue:add', actorId: 'h', itemId: 'i1', trackId: 't1', durationMs: 1000 });
    expect(t.room.playback.status).toBe('idle');
  });

  it('caps tracks per member, not counting autofill', () => {
    let room = withQueue(roomWith(['a'], { maxQueuedPerMember: 2 }), [['a', 't1'], ['a', 't2']]);
    expectCode(
      () => apply(room, { type: 'queue:add', actorId: 'a', itemId: 'i3', trackId: 't3', durationMs: 1 }),
      'CONFLICT',
      /2 tracks queued \(limit 2\)/,
    );
    room = step(room, { type: 'queue:add', actorId: 'h', itemId: 'f1', trackId: 'f1', durationMs: 1, autofill: true });
    expect(apply(room, { type: 'queue:add', actorId: 'h', itemId: 'i4', trackId: 't4', durationMs: 1 }).room.queue).toHaveLength(4);
  });

  it('refuses duplicate ids, duplicate tracks, bad durations and strangers', () => {
    const room = withQueue(roomWith(['a']), [['a', 't1']]);
    expectCode(() => apply(room, { type: 'queue:add', actorId: 'a', itemId: 'i-t1', trackId: 'x', durationMs: 1 }), 'CONFLICT');
    expectCode(() => apply(room, { type: 'queue:add', actorId: 'h', itemId: 'n', trackId: 't1', durationMs: 1 }), 'CONFLICT', /already/);
    expectCode(() => apply(room, { type: 'queue:add', actorId: 'h', itemId: 'n', trackId: 'n', durationMs: 0 }), 'VALIDATION');
    expectCode(() => apply(room, { type: 'queue:add', actorId: 'zz', itemId: 'n', trackId: 'n', durationMs: 1 }), 'FORBIDDEN');
  });

  it('puts member picks ahead of autofill and records nothing for autofill', () => {
    let room = roomWith();
    const fill = apply(room, { type: 'queue:add', actorId: 'h', itemId: 'f', trackId: 'f', durationMs: 1, autofill: true });
    expect(fill.interactions).toEqual([]);
    room = withQueue(fill.room, [['h', 't1']]);
    expect(trackIds(room)).toEqual(['t1', 'f']);
  });
});

describe('queue:remove', () => {
  it('lets the adder or the host remove', () => {
    const room = withQueue(roomWith(['a', 'b']), [['a', 't1']]);
    expect(apply(room, { type: 'queue:remove', actorId: 'a', itemId: 'i-t1' }).room.queue).toEqual([]);
    expect(apply(room, { type: 'queue:remove', actorId: 'h', itemId: 'i-t1' }).result).toEqual({ itemId: 'i-t1' });
    expectCode(() => apply(room, { type: 'queue:remove', actorId: 'b', itemId: 'i-t1' }), 'FORBIDDEN');
    expectCode(() => apply(room, { type: 'queue:remove', actorId: 'h', itemId: 'nope' }), 'NOT_FOUND');
  });
});

describe('queue:move', () => {
  const base = () => withQueue(roomWith(['a']), [['h', 't1'], ['h', 't2'], ['a', 't3']]);

  it('moves within fifo with a clamped index', () => {
    expect(trackIds(apply(base(), { type: 'queue:move', actorId: 'h', itemId: 'i-t3', toIndex: 0 }).room)).toEqual(['t3', 't1', 't2']);
    const t = apply(base(), { type: 'queue:move', actorId: 'h', itemId: 'i-t1', toIndex: 99 });
    expect(trackIds(t.room)).toEqual(['t2', 't3', 't1']);
    expect(t.result).toEqual({ itemId: 'i-t1', index: 2 });
    expect(apply(base(), { type: 'queue:move', actorId: 'h', itemId: 'i-t1', toIndex: 0 }).changes).toEqual([]);
  });

  it('is host only unless guestControls', () => {
    expectCode(() => apply(base(), { type: 'queue:move', actorId: 'a', itemId: 'i-t3', toIndex: 0 }), 'FORBIDDEN');
    const open = step(base(), { type: 'room:settings', actorId: 'h', patch: { guestControls: true } });
    expect(trackIds(apply(open, { type: 'queue:move', actorId: 'a', itemId: 'i-t3', toIndex: 0 }).room)[0]).toBe('t3');
  });

  it('is a CONFLICT where the order is computed', () => {
    for (const queueMode of ['votes', 'round-robin'] as const) {
      const room = step(base(), { type: 'room:settings', actorId: 'h', patch: { queueMode } });
      expectCode(() => apply(room, { type: 'queue:move', actorId: 'h', itemId: 'i-t3', toIndex: 0 }), 'CONFLICT');
    }
    expectCode(() => apply(base(), { type: 'queue:move', actorId: 'h', itemId: 'nope', toIndex: 0 }), 'NOT_FOUND');
  });
});

describe('queue:vote', () => {
  it('records up, down and clears, once per member', () => {
    const room = withQueue(roomWith(['a', 'b']), [['h', 't1']]);
    const up = apply(room, { type: 'queue:vote', actorId: 'a', itemId: 'i-t1', value: 1 });
    expect(up.interactions).toEqual([{ userId: 'a', trackId: 't1', type: 'vote_up' }]);
    expect(up.result).toEqual({ itemId: 'i-t1', votes: 1 });
    const again = apply(up.room, { type: 'queue:vote', actorId: 'a', itemId: 'i-t1', value: 1 });
    expect(again.changes).toEqual([]);
    expect(again.interactions).toEqual([]);
    const down = apply(up.room, { type: 'queue:vote', actorId: 'b', itemId: 'i-t1', value: -1 });
    expect(down.interactions).toEqual([{ userId: 'b', trackId: 't1', type: 'vote_down' }]);
    expect(down.result.votes).toBe(0);
    const cleared = apply(down.room, { type: 'queue:vote', actorId: 'a', itemId: 'i-t1', value: 0 });
    expect(cleared.interactions).toEqual([]);
    expect(cleared.room.queue[0]?.votes).toEqual({ b: -1 });
    expectCode(() => apply(room, { type: 'queue:vote', actorId: 'a', itemId: 'nope', value: 1 }), 'NOT_FOUND');
  });
});
