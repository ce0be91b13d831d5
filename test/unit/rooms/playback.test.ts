import { describe, expect, it } from 'vitest';
import { T0, apply, expectCode, roomWith, step, withQueue } from './fixtures.ts';

const queued = () => withQueue(roomWith(['a']), [['a', 't1', 10_000], ['h', 't2', 20_000]]);

describe('playback:play', () => {
  it('from idle starts the next queued item and pops it', () => {
    const t = apply(queued(), { type: 'playback:play', actorId: 'h' }, T0 + 500);
    expect(t.room.playback).toEqual({
      trackId: 't1',
      status: 'playing',
      positionMs: 0,
      at: T0 + 500,
      durationMs: 10_000,
      addedBy: 'a',
      autofill: false,
    });
    expect(t.room.queue.map((i) => i.trackId)).toEqual(['t2']);
    expect(t.interactions).toEqual([{ userId: 'h', trackId: 't1', type: 'play' }]);
    expect(t.changes).toEqual(['playback', 'queue']);
  });

  it('with an empty queue is a CONFLICT', () => {
    expectCode(() => apply(roomWith(), { type: 'playback:play', actorId: 'h' }), 'CONFLICT', /queue is empty/);
  });

  it('resumes from pause at now with the position unchanged', () => {
    let room = step(queued(), { type: 'playback:play', actorId: 'h' }, T0);
    room = step(room, { type: 'playback:pause', actorId: 'h' }, T0 + 3_000);
    const t = apply(room, { type: 'playback:play', actorId: 'h' }, T0 + 9_000);
    expect(t.room.playback).toMatchObject({ status: 'playing', positionMs: 3_000, at: T0 + 9_000, trackId: 't1' });
    expect(t.changes).toEqual(['playback']);
  });

  it('while already playing changes nothing', () => {
    const room = step(queued(), { type: 'playback:play', actorId: 'h' }, T0);
    const t = apply(room, { type: 'playback:play', actorId: 'h' }, T0 + 1);
    expect(t.changes).toEqual([]);
    expect(t.interactions).toEqual([]);
  });

  it('with a trackId plays it now; a queued copy leaves the queue', () => {
    const direct = apply(queued(), { type: 'playback:play', actorId: 'h', trackId: 'x', durationMs: 5_000 }, T0 + 1);
    expect(direct.room.playback).toMatchObject({ trackId: 'x', durationMs: 5_000, addedBy: 'h', status: 'playing', at: T0 + 1 });
    expect(direct.room.queue).toHaveLength(2);
    const fromQueue = apply(queued(), { type: 'playback:play', actorId: 'h', trackId: 't2' }, T0 + 1);
    expect(fromQueue.room.playback).toMatchObject({ trackId: 't2', durationMs: 20_000, addedBy: 'h' });
    expect(fromQueue.room.queue.map((i) => i.trackId)).toEqual(['t1']);
    expectCode(() => apply(queued(), { type: 'playback:play', actorId: 'h', trackId: 'x' }), 'VALIDATION', /durationMs/);
  });
});

describe('permissions', () => {
  const playing = () => step(queued(), { type: 'playback:play', actorId: 'h' }, T0);
  const cmds = [
    { type: 'playback:play', actorId: 'a' },
    { type: 'playback:pause', actorId: 'a' },
    { type: 'playback:seek', actorId: 'a', positionMs: 10 },
    { type: 'playback:skip', actorId: 'a' },
  ] as const;

  it('a member gets FORBIDDEN for every control', () => {
    for (const cmd of cmds) expectCode(() => apply(playing(), cmd), 'FORBIDDEN', /only the host/);
    expectCode(() => apply(queued(), { type: 'playback:play', actorId: 'a' }), 'FORBIDDEN');
  });

  it('guestControls lets members control', () => {
    const open = step(playing(), { type: 'room:settings', actorId: 'h', patch: { guestControls: true } });
    let room = step(open, { type: 'playback:pause', actorId: 'a' }, T0 + 100);
    room = step(room, { type: 'playback:play', actorId: 'a' }, T0 + 200);
    room = step(room, { type: 'playback:seek', actorId: 'a', positionMs: 50 }, T0 + 300);
    room = step(room, { type: 'playback:skip', actorId: 'a' }, T0 + 400);
    expect(room.playback.trackId).toBe('t2');
  });

  it('strangers are FORBIDDEN even with guestControls', () => {
    const open = step(playing(), { type: 'room:settings', actorId: 'h', patch: { guestControls: true } });
    expectCode(() => apply(open, { type: 'playback:pause', actorId: 'zz' }), 'FORBIDDEN', /not a member/);
  });
});

describe('playback:pause', () => {
  it('freezes the current position; pausing again or idle is a no-op', () => {
    const room = step(queued(), { type: 'playback:play', actorId: 'h' }, T0);
    const t = apply(room, { type: 'playback:pause', actorId: 'h' }, T0 + 4_200);
    expect(t.room.playback).toMatchObject({ status: 'paused', positionMs: 4_200, at: T0 + 4_200 });
    expect(apply(t.room, { type: 'playback:pause', actorId: 'h' }, T0 + 5_000).changes).toEqual([]);
    expect(apply(queued(), { type: 'playback:pause', actorId: 'h' }).changes).toEqual([]);
  });
});

describe('playback:seek', () => {
  const playing = () => step(queued(), { type: 'playback:play', actorId: 'h' }, T0);

  it('sets the position at now, clamped to [0, duration]', () => {
    expect(apply(playing(), { type: 'playback:seek', actorId: 'h', positionMs: 2_500 }, T0 + 7).room.playback).toMatchObject({
      positionMs: 2_500,
      at: T0 + 7,
      status: 'playing',
    });
    expect(apply(playing(), { type: 'playback:seek', actorId: 'h', positionMs: 99_999 }).room.playback.positionMs).toBe(10_000);
    expect(apply(playing(), { type: 'playback:seek', actorId: 'h', positionMs: -5 }).room.playback.positionMs).toBe(0);
  });

  it('keeps a paused track paused; idle is a CONFLICT', () => {
    const paused = step(playing(), { type: 'playback:pause', actorId: 'h' }, T0 + 1_000);
    expect(apply(paused, { type: 'playback:seek', actorId: 'h', positionMs: 10 }).room.playback.status).toBe('paused');
    expect(apply(paused, { type: 'playback:seek', actorId: 'h', positionMs: 1_000 }).changes).toEqual([]);
    expectCode(() => apply(queued(), { type: 'playback:seek', actorId: 'h', positionMs: 1 }), 'CONFLICT', /nothing is playing/);
  });
});

describe('playback:skip', () => {
  it('advances to the next queued item and records skip for the actor and play for the picker', () => {
    const room = step(queued(), { type: 'playback:play', actorId: 'h' }, T0);
    const t = apply(room, { type: 'playback:skip', actorId: 'h' }, T0 + 3_000);
    expect(t.room.playback).toMatchObject({ trackId: 't2', status: 'playing', positionMs: 0, at: T0 + 3_000, addedBy: 'h' });
    expect(t.interactions).toEqual([
      { userId: 'h', trackId: 't1', type: 'skip' },
      { userId: 'h', trackId: 't2', type: 'play' },
    ]);
  });

  it('goes idle when the queue is dry, or plays the autofill when autoplay is on', () => {
    let room = step(withQueue(roomWith(), [['h', 't1', 1_000]]), { type: 'playback:play', actorId: 'h' }, T0);
    const autofill = { itemId: 'af', trackId: 'rec', durationMs: 3_000 };
    const t = apply(room, { type: 'playback:skip', actorId: 'h', autofill }, T0 + 10);
    expect(t.room.playback).toMatchObject({ trackId: 'rec', autofill: true, addedBy: null, at: T0 + 10 });
    room = step(room, { type: 'room:settings', actorId: 'h', patch: { autoplay: false } });
    const idle = apply(room, { type: 'playback:skip', actorId: 'h', autofill }, T0 + 10);
    expect(idle.room.playback).toMatchObject({ trackId: null, status: 'idle', at: T0 + 10, durationMs: null });
    expectCode(() => apply(idle.room, { type: 'playback:skip', actorId: 'h' }), 'CONFLICT');
  });
});
