import { describe, expect, it } from 'vitest';
import { GroupRoom } from '../../../ml/models/group-room.ts';
import { A_TRACKS, B_TRACKS, ix, mean, twoClusters } from './fixtures.ts';

function withUsers(): GroupRoom {
  const m = new GroupRoom({ seed: 4, dim: 8, replay: 20 });
  const { stream } = twoClusters();
  for (let e = 0; e < 3; e++) m.update(stream);
  return m;
}

const room = (track: string, roomId: string, members: string[]) =>
  ix(`group:${roomId}`, track, { roomId, groupLevel: true, members });

describe('GroupRoom', () => {
  it('a new room is scored from its members', () => {
    const m = withUsers();
    const s = m.score({ roomId: 'fresh', members: ['a-user1', 'a-user2'] }, [...A_TRACKS, ...B_TRACKS]);
    expect(mean(s.subarray(0, 10))).toBeGreaterThan(mean(s.subarray(10)));
  });

  it('learns a room embedding and moves the mix toward the room when the room disagrees with its members', () => {
    const m = withUsers();
    const members = ['a-user1', 'a-user2', 'a-user3'];
    const share0 = m.roomShare('r');
    for (let i = 0; i < 60; i++) m.update([room(`b${i % 10}`, 'r', members)]);
    expect(m.roomShare('r')).toBeGreaterThan(share0);
    const s = m.score({ roomId: 'r', members }, [...A_TRACKS, ...B_TRACKS]);
    expect(mean(s.subarray(10))).toBeGreaterThan(mean(s.subarray(0, 10)));
  });

  it('keeps weight on the members when they predict the room well', () => {
    const m = withUsers();
    const members = ['b-user1', 'b-user2'];
    for (let i = 0; i < 40; i++) m.update([room(`b${i % 10}`, 'agree', members)]);
    // Both components rank the room's tracks well here, so neither is pushed to zero.
    const share = m.roomShare('agree');
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.95);
  });
});
