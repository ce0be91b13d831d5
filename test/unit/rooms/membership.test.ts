import { describe, expect, it } from 'vitest';
import { connectedCount, isEmpty } from '../../../server/rooms/commands.ts';
import { T0, apply, expectCode, roomWith, step } from './fixtures.ts';

describe('join', () => {
  it('adds a connected member', () => {
    const t = apply(roomWith(), { type: 'join', actor: { userId: 'a', displayName: 'Ann' } }, T0 + 5);
    expect(t.changes).toEqual(['members']);
    expect(t.result).toEqual({ member: { userId: 'a', displayName: 'Ann', role: 'member', connected: true }, rejoined: false });
    expect(t.room.members[1]).toMatchObject({ userId: 'a', role: 'member', joinedAt: T0 + 5, connected: true });
    expect(t.event).toEqual({ type: 'join', actorId: 'a', payload: { actor: { userId: 'a', displayName: 'Ann' } } });
  });

  it('reconnects an existing seat keeping its seniority', () => {
    let room = roomWith(['a']);
    room = step(room, { type: 'disconnect', actorId: 'a' }, T0 + 50);
    expect(room.members[1]).toMatchObject({ connected: false, disconnectedAt: T0 + 50 });
    const t = apply(room, { type: 'join', actor: { userId: 'a', displayName: 'A' } }, T0 + 90);
    expect(t.result.rejoined).toBe(true);
    expect(t.room.members[1]).toMatchObject({ connected: true, disconnectedAt: null, joinedAt: T0 + 1 });
  });

  it('a second join of a connected member changes nothing', () => {
    const room = roomWith(['a']);
    expect(apply(room, { type: 'join', actor: { userId: 'a', displayName: 'A' } }).changes).toEqual([]);
  });

  it('is ROOM_FULL past maxMembers, counting disconnected seats but not banned rows', () => {
    let room = roomWith(['a'], { maxMembers: 3 });
    room = step(room, { type: 'join', actor: { userId: 'b', displayName: 'B' } });
    room = step(room, { type: 'disconnect', actorId: 'b' });
    expectCode(() => apply(room, { type: 'join', actor: { userId: 'c', displayName: 'C' } }), 'ROOM_FULL');
    // The dropped seat can still come back.
    step(room, { type: 'join', actor: { userId: 'b', displayName: 'B' } });
    room = step(room, { type: 'member:kick', actorId: 'h', userId: 'b', ban: true });
    expect(apply(room, { type: 'join', actor: { userId: 'c', displayName: 'C' } }).room.members).toHaveLength(4);
  });

  it('the first joiner of an empty room becomes host', () => {
    let room = step(roomWith(), { type: 'leave', actorId: 'h' });
    expect(isEmpty(room)).toBe(true);
    const t = apply(room, { type: 'join', actor: { userId: 'z', displayName: 'Z' } });
    expect(t.room.hostId).toBe('z');
    expect(t.room.members[0]?.role).toBe('host');
    expect(t.changes).toEqual(['members', 'host']);
  });

  it('a host reconnecting within grace is still host', () => {
    let room = roomWith(['a']);
    room = step(room, { type: 'disconnect', actorId: 'h' }, T0 + 10);
    room = step(room, { type: 'tick', hostGraceMs: 30_000 }, T0 + 29_000);
    room = step(room, { type: 'join', actor: { userId: 'h', displayName: 'Host' } }, T0 + 29_500);
    expect(room.hostId).toBe('h');
    expect(room.members[0]?.role).toBe('host');
  });
});

describe('leave', () => {
  it('removes the member and their skip vote', () => {
    let room = roomWith(['a', 'b', 'c']);
    room = step(room, { type: 'playback:play', actorId: 'h', trackId: 't', durationMs: 1000 });
    room = step(room, { type: 'skip:vote', actorId: 'a' });
    const t = apply(room, { type: 'leave', actorId: 'a' });
    expect(t.room.members.map((m) => m.userId)).toEqual(['h', 'b', 'c']);
    expect(t.room.skipVotes).toEqual([]);
    expect(t.changes).toEqual(['members', 'skipVotes']);
    expect(t.result).toEqual({ empty: false });
  });

  it('host leaving hands over to the longest-present connected member', () => {
    let room = roomWith(['a', 'b', 'c']);
    room = step(room, { type: 'disconnect', actorId: 'a' });
    const t = apply(room, { type: 'leave', actorId: 'h' });
    expect(t.room.hostId).toBe('b');
    expect(t.room.members.filter((m) => m.role === 'host').map((m) => m.userId)).toEqual(['b']);
    expect(t.changes).toContain('host');
  });

  it('with nobody connected the longest-present member inherits', () => {
    let room = roomWith(['a', 'b']);
    room = step(room, { type: 'disconnect', actorId: 'b' });
    room = step(room, { type: 'disconnect', actorId: 'a' });
    expect(apply(room, { type: 'leave', actorId: 'h' }).room.hostId).toBe('a');
  });

  it('the last one out leaves an empty room; leaving twice is a no-op', () => {
    const t = apply(roomWith(), { type: 'leave', actorId: 'h' });
    expect(t.result).toEqual({ empty: true });
    expect(isEmpty(t.room)).toBe(true);
    expect(apply(t.room, { type: 'leave', actorId: 'h' }).changes).toEqual([]);
  });
});

describe('disconnect', () => {
  it('keeps the seat, marks it and drops the skip vote', () => {
    let room = roomWith(['a', 'b']);
    room = step(room, { type: 'playback:play', actorId: 'h', trackId: 't', durationMs: 1000 });
    room = step(room, { type: 'skip:vote', actorId: 'a' });
    const t = apply(room, { type: 'disconnect', actorId: 'a' }, T0 + 7);
    expect(t.room.members[1]).toMatchObject({ userId: 'a', connected: false, disconnectedAt: T0 + 7 });
    expect(t.room.skipVotes).toEqual([]);
    expect(connectedCount(t.room)).toBe(2);
    expect(apply(t.room, { type: 'disconnect', actorId: 'a' }).changes).toEqual([]);
  });

  it('a dropped host keeps the role until the grace runs out', () => {
    const room = step(roomWith(['a']), { type: 'disconnect', actorId: 'h' });
    expect(room.hostId).toBe('h');
  });
});
