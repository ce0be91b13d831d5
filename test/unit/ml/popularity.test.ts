import { describe, expect, it } from 'vitest';
import { Popularity } from '../../../ml/models/popularity.ts';
import { ix } from './fixtures.ts';

const DAY = 86_400_000;

describe('Popularity', () => {
  it('ranks by count, unknown tracks last', () => {
    const m = new Popularity({ halfLifeMs: Infinity });
    m.update([ix('u1', 'x'), ix('u2', 'x'), ix('u3', 'y')]);
    const s = m.score({ userId: 'u9' }, ['y', 'x', 'nope']);
    expect(s[1]).toBeGreaterThan(s[0] as number);
    expect(s[0]).toBeGreaterThan(0);
    expect(s[2]).toBe(0);
  });

  it('decays old counts with the half-life', () => {
    const m = new Popularity({ halfLifeMs: DAY });
    const t0 = 10 * DAY;
    // 'old' got 3 plays ten days ago, 'new' 1 play now: 3·2^-10 < 1.
    m.update([ix('u1', 'old', { at: t0 }), ix('u2', 'old', { at: t0 }), ix('u3', 'old', { at: t0 })]);
    m.update([ix('u4', 'new', { at: t0 + 10 * DAY })]);
    const s = m.score({ userId: 'u', now: t0 + 10 * DAY }, ['old', 'new']);
    expect(s[1]).toBeGreaterThan(s[0] as number);
    // Without decay the old one wins.
    const flat = new Popularity({ halfLifeMs: Infinity });
    flat.update([ix('u1', 'old', { at: t0 }), ix('u2', 'old', { at: t0 }), ix('u3', 'old', { at: t0 }), ix('u4', 'new', { at: t0 + 10 * DAY })]);
    const f = flat.score({ userId: 'u' }, ['old', 'new']);
    expect(f[0]).toBeGreaterThan(f[1] as number);
  });

  it('survives a stream long enough to force a rescale of the stored counts', () => {
    const m = new Popularity({ halfLifeMs: 1000 });
    for (let i = 0; i < 200; i++) m.update([ix('u', i % 2 === 0 ? 'even' : 'odd', { at: i * 1000 })]);
    const s = m.score({ userId: 'u', now: 199_000 }, ['even', 'odd']);
    expect(Number.isFinite(s[0])).toBe(true);
    expect(s[1]).toBeGreaterThan(s[0] as number); // 'odd' was played last
  });

  it('separates contexts: rooms, hour bands and moods', () => {
    const m = new Popularity({ halfLifeMs: Infinity, prior: 1 });
    for (let i = 0; i < 5; i++) m.update([ix(`s${i}`, 'solo-hit', { hour: 8 })]);
    for (let i = 0; i < 3; i++) m.update([ix(`r${i}`, 'room-hit', { roomId: 'r1', hour: 22, mood: 'party' })]);
    const room = m.score({ roomId: 'r2', hour: 22, mood: 'party' }, ['solo-hit', 'room-hit']);
    expect(room[1]).toBeGreaterThan(room[0] as number);
    const solo = m.score({ userId: 'x', hour: 8 }, ['solo-hit', 'room-hit']);
    expect(solo[0]).toBeGreaterThan(solo[1] as number);
  });

  it('negative signals pull a track down but never below zero', () => {
    const m = new Popularity({ halfLifeMs: Infinity });
    m.update([ix('u1', 'x'), ix('u2', 'y'), ix('u3', 'y', { type: 'dislike' }), ix('u4', 'z', { type: 'skip' })]);
    const s = m.score({ userId: 'u' }, ['x', 'y', 'z']);
    expect(s[0]).toBeGreaterThan(s[1] as number);
    expect(s[2]).toBe(0);
  });
});
