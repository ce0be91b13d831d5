import { describe, expect, it } from 'vitest';
import { apply, expectCode, roomWith, step } from './fixtures.ts';

describe('room:settings', () => {
  it('applies a patch and reports what it affects', () => {
    const t = apply(roomWith(), { type: 'room:settings', actorId: 'h', patch: { queueMode: 'votes', skipThreshold: 0.75 } });
    expect(t.room.settings).toMatchObject({ queueMode: 'votes', skipThreshold: 0.75, maxMembers: 500 });
    expect(t.changes).toEqual(['settings', 'queue', 'skipVotes']);
    expect(t.result.settings.queueMode).toBe('votes');
    expect(apply(roomWith(), { type: 'room:settings', actorId: 'h', patch: { autoplay: false } }).changes).toEqual(['settings']);
  });

  it('a patch equal to the current settings changes nothing', () => {
    expect(apply(roomWith(), { type: 'room:settings', actorId: 'h', patch: { queueMode: 'fifo' } }).changes).toEqual([]);
  });

  it('is host only', () => {
    expectCode(() => apply(roomWith(['a']), { type: 'room:settings', actorId: 'a', patch: { guestControls: true } }), 'FORBIDDEN');
  });

  it('validates ranges', () => {
    const room = roomWith(['a', 'b']);
    const bad = [
      { skipThreshold: 0 },
      { skipThreshold: 1.5 },
      { maxQueuedPerMember: 0 },
      { maxQueuedPerMember: 2.5 },
      { maxMembers: 501 },
      { maxMembers: 2 },
      { mood: 'x'.repeat(41) },
      { queueMode: 'shuffle' as never },
      { guestControls: 'yes' as never },
    ];
    for (const patch of bad) expectCode(() => apply(room, { type: 'room:settings', actorId: 'h', patch }), 'VALIDATION');
    expect(apply(room, { type: 'room:settings', actorId: 'h', patch: { maxMembers: 3, skipThreshold: 1 } }).room.settings.maxMembers).toBe(3);
  });

  it('ignores unknown keys and clears mood with an empty string', () => {
    let room = step(roomWith(), { type: 'room:settings', actorId: 'h', patch: { mood: ' chill ', activity: 'work' } });
    expect(room.settings).toMatchObject({ mood: 'chill', activity: 'work' });
    room = step(room, { type: 'room:settings', actorId: 'h', patch: { mood: '', evil: 1 } as never });
    expect(room.settings.mood).toBeUndefined();
    expect('evil' in room.settings).toBe(false);
  });
});
