import { describe, expect, it } from 'vitest';
import { orderedQueue } from '../../../server/rooms/commands.ts';
import { wireQueue } from '../../../server/rooms/snapshot.ts';
import type { RoomState } from '../../../server/rooms/types.ts';
import { T0, roomWith, step, withQueue } from './fixtures.ts';

const order = (room: RoomState) => orderedQueue(room).map((i) => i.trackId);

describe('fifo', () => {
  it('keeps insertion order, scores by position', () => {
    const room = withQueue(roomWith(['a']), [['a', 't1'], ['h', 't2'], ['a', 't3']]);
    expect(order(room)).toEqual(['t1', 't2', 't3']);
    expect(wireQueue(room).map((w) => w.score)).toEqual([3, 2, 1]);
  });
});

describe('votes', () => {
  it('orders by net votes, then addedAt, and scores by net votes', () => {
    let room = withQueue(roomWith(['a', 'b'], { queueMode: 'votes' }), [['h', 't1'], ['a', 't2'], ['b', 't3'], ['b', 't4']]);
    room = step(room, { type: 'queue:vote', actorId: 'a', itemId: 'i-t3', value: 1 });
    room = step(room, { type: 'queue:vote', actorId: 'b', itemId: 'i-t3', value: 1 });
    room = step(room, { type: 'queue:vote', actorId: 'h', itemId: 'i-t4', value: 1 });
    room = step(room, { type: 'queue:vote', actorId: 'a', itemId: 'i-t1', value: -1 });
    expect(order(room)).toEqual(['t3', 't4', 't2', 't1']);
    expect(wireQueue(room).map((w) => [w.votes, w.score])).toEqual([[2, 2], [1, 1], [0, 0], [-1, -1]]);
  });

  it('the next track played is the top voted one', () => {
    let room = withQueue(roomWith(['a'], { queueMode: 'votes' }), [['h', 't1'], ['a', 't2']]);
    room = step(room, { type: 'queue:vote', actorId: 'h', itemId: 'i-t2', value: 1 });
    room = step(room, { type: 'playback:play', actorId: 'h' });
    expect(room.playback.trackId).toBe('t2');
  });
});

describe('round-robin', () => {
  it('interleaves adders in order of their first item: A1 B1 C1 A2 B2 A3', () => {
    const room = withQueue(roomWith(['a', 'b', 'c'], { queueMode: 'round-robin' }), [
      ['a', 'A1'],
      ['a', 'A2'],
      ['a', 'A3'],
      ['b', 'B1'],
      ['c', 'C1'],
      ['b', 'B2'],
    ]);
    expect(order(room)).toEqual(['A1', 'B1', 'C1', 'A2', 'B2', 'A3']);
    expect(wireQueue(room).map((w) => w.score)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('puts whoever played least recently first (never played = first)', () => {
    let room = withQueue(roomWith(['a', 'b'], { queueMode: 'round-robin' }), [['a', 'A1'], ['a', 'A2'], ['b', 'B1']]);
    room = step(room, { type: 'playback:play', actorId: 'h' }, T0 + 1_000);
    expect(room.playback.trackId).toBe('A1');
    expect(order(room)).toEqual(['B1', 'A2']);
    // c arrives late; having never played, c goes before a, who just did.
    room = step(room, { type: 'join', actor: { userId: 'c', displayName: 'C' } });
    room = withQueue(room, [['c', 'C1']]);
    room = step(room, { type: 'playback:skip', actorId: 'h' }, T0 + 2_000);
    expect(room.playback.trackId).toBe('B1');
    expect(order(room)).toEqual(['C1', 'A2']);
  });

  it('a full rotation with several picks each', () => {
    let room = withQueue(roomWith(['a', 'b'], { queueMode: 'round-robin' }), [
      ['a', 'A1'],
      ['a', 'A2'],
      ['a', 'A3'],
      ['b', 'B1'],
      ['b', 'B2'],
    ]);
    const played: (string | null)[] = [];
    room = step(room, { type: 'playback:play', actorId: 'h' }, T0 + 1);
    played.push(room.playback.trackId);
    for (let i = 2; room.queue.length > 0; i++) {
      room = step(room, { type: 'playback:skip', actorId: 'h' }, T0 + i);
      played.push(room.playback.trackId);
    }
    expect(played).toEqual(['A1', 'B1', 'A2', 'B2', 'A3']);
  });

  it('keeps autofill after every member pick', () => {
    let room = roomWith(['a'], { queueMode: 'round-robin' });
    room = step(room, { type: 'queue:add', actorId: 'h', itemId: 'f', trackId: 'F', durationMs: 1, autofill: true });
    room = withQueue(room, [['a', 'A1']]);
    expect(order(room)).toEqual(['A1', 'F']);
  });
});

describe('switching modes', () => {
  it('reorders and reports a queue change', () => {
    let room = withQueue(roomWith(['a']), [['a', 'A1'], ['a', 'A2'], ['h', 'H1']]);
    const t = step(room, { type: 'room:settings', actorId: 'h', patch: { queueMode: 'round-robin' } });
    expect(order(t)).toEqual(['A1', 'H1', 'A2']);
    room = step(t, { type: 'room:settings', actorId: 'h', patch: { queueMode: 'fifo' } });
    expect(order(room)).toEqual(['A1', 'A2', 'H1']);
  });
});
