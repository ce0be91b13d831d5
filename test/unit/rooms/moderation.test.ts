import { describe, expect, it } from 'vitest';
import { toSnapshot } from '../../../server/rooms/snapshot.ts';
import { apply, expectCode, roomWith, step, withQueue } from './fixtures.ts';

describe('member:kick', () => {
  it('removes the member', () => {
    const t = apply(roomWith(['a', 'b']), { type: 'member:kick', actorId: 'h', userId: 'a' });
    expect(t.room.members.map((m) => m.userId)).toEqual(['h', 'b']);
    expect(t.result).toEqual({ userId: 'a', banned: false });
    // A plain kick may come back.
    expect(apply(t.room, { type: 'join', actor: { userId: 'a', displayName: 'A' } }).room.members).toHaveLength(3);
  });

  it('a ban keeps the row so a rejoin is FORBIDDEN, and takes back their queue and votes', () => {
    let room = withQueue(roomWith(['a', 'b']), [['a', 't1'], ['b', 't2']]);
    room = step(room, { type: 'queue:vote', actorId: 'a', itemId: 'i-t2', value: 1 });
    const t = apply(room, { type: 'member:kick', actorId: 'h', userId: 'a', ban: true }, 500);
    expect(t.room.members.find((m) => m.userId === 'a')).toMatchObject({ banned: true, connected: false, disconnectedAt: 500 });
    expect(t.room.queue.map((i) => i.id)).toEqual(['i-t2']);
    expect(t.room.queue[0]?.votes).toEqual({});
    expect(t.changes).toEqual(['members', 'queue']);
    expect(toSnapshot(t.room).members.map((m) => m.userId)).toEqual(['h', 'b']);
    expectCode(() => apply(t.room, { type: 'join', actor: { userId: 'a', displayName: 'A' } }), 'FORBIDDEN', /banned/);
    // A banned user is no member: they cannot act, and cannot be kicked again.
    expectCode(() => apply(t.room, { type: 'queue:add', actorId: 'a', itemId: 'x', trackId: 'x', durationMs: 1 }), 'FORBIDDEN');
    expectCode(() => apply(t.room, { type: 'member:kick', actorId: 'h', userId: 'a' }), 'NOT_FOUND');
  });

  it('is host only, not on yourself, and NOT_FOUND for strangers', () => {
    const room = roomWith(['a', 'b']);
    expectCode(() => apply(room, { type: 'member:kick', actorId: 'a', userId: 'b' }), 'FORBIDDEN', /only the host/);
    expectCode(() => apply(room, { type: 'member:kick', actorId: 'h', userId: 'h' }), 'FORBIDDEN', /yourself/);
    expectCode(() => apply(room, { type: 'member:kick', actorId: 'h', userId: 'zz' }), 'NOT_FOUND');
  });
});

describe('host:transfer', () => {
  it('moves the role to a connected member', () => {
    const t = apply(roomWith(['a', 'b']), { type: 'host:transfer', actorId: 'h', userId: 'b' });
    expect(t.room.hostId).toBe('b');
    expect(t.room.members.map((m) => m.role)).toEqual(['member', 'member', 'host']);
    expect(t.changes).toEqual(['host', 'members']);
  });

  it('checks the caller and the target', () => {
    let room = roomWith(['a', 'b']);
    expectCode(() => apply(room, { type: 'host:transfer', actorId: 'a', userId: 'b' }), 'FORBIDDEN');
    expectCode(() => apply(room, { type: 'host:transfer', actorId: 'h', userId: 'zz' }), 'NOT_FOUND');
    expect(apply(room, { type: 'host:transfer', actorId: 'h', userId: 'h' }).changes).toEqual([]);
    room = step(room, { type: 'disconnect', actorId: 'b' });
    expectCode(() => apply(room, { type: 'host:transfer', actorId: 'h', userId: 'b' }), 'CONFLICT', /disconnected/);
  });
});
