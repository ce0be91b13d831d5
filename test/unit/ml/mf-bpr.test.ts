import { describe, expect, it } from 'vitest';
import { MfBpr } from '../../../ml/models/mf-bpr.ts';
import { A_TRACKS, B_TRACKS, ix, mean, twoClusters } from './fixtures.ts';

function trained(seed = 3): MfBpr {
  const m = new MfBpr({ seed, dim: 8, replay: 20 });
  const { stream } = twoClusters();
  for (let epoch = 0; epoch < 3; epoch++) m.update(stream);
  return m;
}

describe('MfBpr', () => {
  it('learns the two taste clusters', () => {
    const m = trained();
    const sa = m.score({ userId: 'a-user3' }, [...A_TRACKS, ...B_TRACKS]);
    expect(mean(sa.subarray(0, 10))).toBeGreaterThan(mean(sa.subarray(10)));
    const sb = m.score({ userId: 'b-user3' }, [...A_TRACKS, ...B_TRACKS]);
    expect(mean(sb.subarray(10))).toBeGreaterThan(mean(sb.subarray(0, 10)));
  });

  it('scores a room it has not seen from its members', () => {
    const m = trained();
    const s = m.score({ roomId: 'new', members: ['b-user1', 'b-user2'] }, [...A_TRACKS, ...B_TRACKS]);
    expect(mean(s.subarray(10))).toBeGreaterThan(mean(s.subarray(0, 10)));
  });

  it('a room learns its own vector from room-level interactions', () => {
    const m = trained();
    for (let i = 0; i < 30; i++) m.update([ix(`group:r`, `b${i % 10}`, { roomId: 'r', groupLevel: true, members: ['a-user1'] })]);
    const s = m.score({ roomId: 'r', members: ['a-user1'] }, [...A_TRACKS, ...B_TRACKS]);
    expect(mean(s.subarray(10))).toBeGreaterThan(mean(s.subarray(0, 10)));
  });

  it('is deterministic for a seed', () => {
    const a = trained(5).score({ userId: 'a-user1' }, A_TRACKS);
    const b = trained(5).score({ userId: 'a-user1' }, A_TRACKS);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('a dislike lowers the disliked track for that user', () => {
    const m = trained();
    const before = m.score({ userId: 'a-user4' }, ['a2'])[0] as number;
    for (let i = 0; i < 10; i++) m.update([ix('a-user4', 'a2', { type: 'dislike' })]);
    expect(m.score({ userId: 'a-user4' }, ['a2'])[0]).toBeLessThan(before);
  });
});
