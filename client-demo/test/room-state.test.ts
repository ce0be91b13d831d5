import { describe, expect, it } from 'vitest';
import type { RoomSnapshot } from '../../server/transport/socket/events.ts';
import { RoomState, positionAt } from '../src/room-state.ts';

const snapshot = (version: number): RoomSnapshot => ({
  roomId: 'r1',
  code: 'ABCD',
  name: 'Room',
  version,
  hostId: 'u1',
  members: [{ userId: 'u1', displayName: 'Ana', role: 'host', connected: true }],
  queue: [],
  playback: { trackId: null, status: 'idle', positionMs: 0, at: 0, durationMs: null },
  settings: {
    guestControls: false,
    queueMode: 'fifo',
    skipThreshold: 0.5,
    maxQueuedPerMember: 10,
    maxMembers: 500,
    autoplay: true,
    strategy: 'fair',
  },
  skipVotes: { count: 0, needed: 1 },
});

describe('room state versions', () => {
  it('applies the next version and further parts of the same one, ignores older ones', () => {
    const s = new RoomState();
    s.replace(snapshot(5));
    expect(s.apply('host:changed', { version: 6, hostId: 'u2' })).toBe('applied');
    expect(s.apply('skip:updated', { version: 6, skipVotes: { count: 0, needed: 2 } })).toBe('applied');
    expect(s.apply('host:changed', { version: 4, hostId: 'u9' })).toBe('ignored');
    expect(s.room?.hostId).toBe('u2');
    expect(s.room?.skipVotes.needed).toBe(2);
    expect(s.version).toBe(6);
  });

  it('reports a gap when a broadcast jumps past the next version, and a snapshot heals it', () => {
    const s = new RoomState();
    s.replace(snapshot(5));
    expect(s.apply('queue:updated', { version: 8, queue: [] })).toBe('gap');
    expect(s.gaps).toBe(1);
    expect(s.version).toBe(5);
    expect(s.replace(snapshot(8))).toBe('applied');
    expect(s.replace(snapshot(7))).toBe('ignored');
    expect(s.version).toBe(8);
  });

  it('computes the position from the server clock, clamped to the track', () => {
    const pb = { trackId: 't1', status: 'playing' as const, positionMs: 1000, at: 10_000, durationMs: 5000 };
    expect(positionAt(pb, 12_000)).toBe(3000);
    expect(positionAt(pb, 99_000)).toBe(5000);
    expect(positionAt({ ...pb, status: 'paused' }, 12_000)).toBe(1000);
  });
});
