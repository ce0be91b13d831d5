/** Builders for repository tests: complete, non-default values so a lossy round trip shows. */
import { randomUUID } from 'node:crypto';
import type { Track } from '../../../db/repositories/types.ts';
import type { Interaction } from '../../../ml/types.ts';
import { DEFAULT_SETTINGS, type RoomState } from '../../../server/rooms/types.ts';

export const uid = (prefix: string): string => `${prefix}_${randomUUID().slice(0, 8)}`;

export function makeRoom(overrides: Partial<RoomState> = {}): RoomState {
  const id = overrides.id ?? uid('room');
  const now = 1_760_000_000_000;
  return {
    id,
    code: uid('C').toUpperCase(),
    name: 'Friday night',
    version: 1,
    hostId: 'u_host',
    createdAt: now,
    closedAt: null,
    members: [
      { userId: 'u_host', displayName: 'Ada', role: 'host', connected: true, joinedAt: now, disconnectedAt: null, banned: false },
      { userId: 'u_bob', displayName: 'Bob', role: 'member', connected: false, joinedAt: now + 5, disconnectedAt: now + 60_000, banned: false },
    ],
    queue: [
      { id: 'q1', trackId: 'gen_000001', addedBy: 'u_host', addedAt: now + 10, durationMs: 201_000, votes: { u_bob: 1 }, autofill: false },
      { id: 'q2', trackId: 'gen_000002', addedBy: 'u_bob', addedAt: now + 20, durationMs: 180_500, votes: { u_host: -1, u_bob: 1 }, autofill: true },
    ],
    playback: { trackId: 'gen_000003', status: 'playing', positionMs: 12_345.5, at: now + 30, durationMs: 240_000, addedBy: 'u_bob', autofill: false },
    settings: { ...DEFAULT_SETTINGS, queueMode: 'votes', mood: 'chill' },
    skipVotes: ['u_bob'],
    lastPlayedAt: { u_host: now - 200_000, u_bob: now + 30 },
    ...overrides,
  };
}

export function makeInteraction(overrides: Partial<Interaction> = {}): Interaction {
  return {
    id: uid('i'),
    userId: 'u_host',
    roomId: null,
    trackId: 'gen_000001',
    type: 'like',
    context: { hour: 21, weekday: 5, mood: 'chill' },
    createdAt: 1_760_000_000_000,
    ...overrides,
  };
}

export function makeTrack(overrides: Partial<Track> & Pick<Track, 'id' | 'title' | 'artist'>): Track {
  return {
    genre: 'rock',
    durationMs: 354_320,
    popularity: 50,
    danceability: 0.414,
    energy: 0.404,
    valence: 0.224,
    tempo: 71.105,
    acousticness: 0.271,
    instrumentalness: 0,
    speechiness: 0.0499,
    liveness: 0.3,
    loudness: -9.928,
    ...overrides,
  };
}
