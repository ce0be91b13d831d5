/**
 * The shared clock: `{positionMs, at}` means the position was positionMs at server time `at`. Only
 * state changes (play, pause, seek, track change) rewrite it; in between everyone extrapolates.
 */
import { AppError } from '../errors.ts';
import type { Playback, PlaybackStatus, RoomState, WirePlayback } from './types.ts';

type Clock = Pick<WirePlayback, 'status' | 'positionMs' | 'at' | 'durationMs'>;

export function playbackPositionAt(playback: Clock, now: number): number {
  if (playback.status === 'idle') return 0;
  const raw = playback.status === 'playing' ? playback.positionMs + (now - playback.at) : playback.positionMs;
  const max = playback.durationMs ?? Infinity;
  return Math.min(Math.max(raw, 0), max);
}

/** When the current track runs out, or null if nothing is running. */
export function trackEndsAt(playback: Playback): number | null {
  if (playback.status !== 'playing' || playback.durationMs === null) return null;
  return playback.at + Math.max(playback.durationMs - playback.positionMs, 0);
}

export const idlePlayback = (at: number): Playback => ({
  trackId: null,
  status: 'idle',
  positionMs: 0,
  at,
  durationMs: null,
  addedBy: null,
  autofill: false,
});

export interface TrackStart {
  trackId: string;
  durationMs: number;
  addedBy: string | null;
  autofill: boolean;
}

/** Every track change goes through here: it resets skip votes and moves the picker's rotation clock. */
export function startTrack(draft: RoomState, track: TrackStart, at: number, status: PlaybackStatus = 'playing'): void {
  draft.playback = { ...track, status, positionMs: 0, at };
  draft.skipVotes = [];
  if (track.addedBy !== null) draft.lastPlayedAt = { ...draft.lastPlayedAt, [track.addedBy]: at };
}

/** A zero or missing duration would end a track the moment it starts (and loop tick forever). */
export function requirePositiveDuration(durationMs: number | undefined, what: string): number {
  if (durationMs === undefined || !Number.isFinite(durationMs) || durationMs <= 0) {
    throw new AppError('VALIDATION', `${what} needs a positive durationMs`);
  }
  return durationMs;
}
