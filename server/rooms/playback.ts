/** playback:play / pause / seek / skip — host only unless the host turned guestControls on. */
import { AppError } from '../errors.ts';
import type { Handler } from './command-types.ts';
import { advance } from './advance.ts';
import { requireControl } from './members.ts';
import { playbackPositionAt, requirePositiveDuration, startTrack } from './playback-clock.ts';
import { orderedQueue } from './queue-order.ts';
import { wirePlayback } from './snapshot.ts';
import { clone, commit, unchanged } from './transition.ts';
import type { QueueItem, RoomChange, RoomState } from './types.ts';

const CONTROL = 'control playback';

function requireTrack(room: RoomState): string {
  if (room.playback.status === 'idle' || room.playback.trackId === null) {
    throw new AppError('CONFLICT', 'nothing is playing');
  }
  return room.playback.trackId;
}

export const play: Handler<'playback:play'> = (room, cmd, now) => {
  requireControl(room, cmd.actorId, CONTROL);
  const draft = clone(room);
  const changes: RoomChange[] = ['playback'];
  // A new track clears the skip votes (startTrack); resuming the same one keeps them.
  const newTrack = (): void => {
    if (room.skipVotes.length > 0) changes.push('skipVotes');
  };

  const startItem = (item: QueueItem, durationMs = item.durationMs): void => {
    draft.queue = draft.queue.filter((i) => i.id !== item.id);
    changes.push('queue');
    newTrack();
    const addedBy = item.autofill ? null : item.addedBy;
    startTrack(draft, { trackId: item.trackId, durationMs, addedBy, autofill: item.autofill }, now);
  };

  if (cmd.trackId !== undefined) {
    // "Play now" on a queued track takes it out of the queue so it does not play twice.
    const queued = orderedQueue(room).find((i) => i.trackId === cmd.trackId);
    const durationMs = requirePositiveDuration(cmd.durationMs ?? queued?.durationMs, 'playing a track directly');
    if (queued) startItem(queued, durationMs);
    else {
      newTrack();
      startTrack(draft, { trackId: cmd.trackId, durationMs, addedBy: cmd.actorId, autofill: false }, now);
    }
  } else if (room.playback.status === 'paused') {
    draft.playback.status = 'playing';
    draft.playback.at = now;
  } else if (room.playback.status === 'playing') {
    return unchanged(room, cmd, { playback: wirePlayback(room) });
  } else {
    const next = orderedQueue(room)[0];
    if (!next) throw new AppError('CONFLICT', 'queue is empty');
    startItem(next);
  }

  const trackId = draft.playback.trackId ?? '';
  return commit(room, draft, changes, cmd, { playback: wirePlayback(draft) }, [
    { userId: cmd.actorId, trackId, type: 'play' },
  ]);
};

export const pause: Handler<'playback:pause'> = (room, cmd, now) => {
  requireControl(room, cmd.actorId, CONTROL);
  // Pausing a paused or idle room is a harmless no-op (two controllers pressing at once).
  if (room.playback.status !== 'playing') return unchanged(room, cmd, { playback: wirePlayback(room) });
  const draft = clone(room);
  draft.playback.positionMs = playbackPositionAt(room.playback, now);
  draft.playback.status = 'paused';
  draft.playback.at = now;
  return commit(room, draft, ['playback'], cmd, { playback: wirePlayback(draft) });
};

export const seek: Handler<'playback:seek'> = (room, cmd, now) => {
  requireControl(room, cmd.actorId, CONTROL);
  requireTrack(room);
  if (!Number.isFinite(cmd.positionMs)) throw new AppError('VALIDATION', 'positionMs must be a number');
  const positionMs = Math.min(Math.max(cmd.positionMs, 0), room.playback.durationMs ?? 0);
  if (room.playback.status === 'paused' && room.playback.positionMs === positionMs) {
    return unchanged(room, cmd, { playback: wirePlayback(room) });
  }
  const draft = clone(room);
  draft.playback.positionMs = positionMs;
  draft.playback.at = now;
  return commit(room, draft, ['playback'], cmd, { playback: wirePlayback(draft) });
};

export const skip: Handler<'playback:skip'> = (room, cmd, now) => {
  requireControl(room, cmd.actorId, CONTROL);
  const trackId = requireTrack(room);
  const draft = clone(room);
  // The next track plays even if the skipped one was paused: skipping is asking for music.
  const step = advance(draft, now, cmd.autofill);
  return commit(room, draft, step.changes, cmd, { playback: wirePlayback(draft) }, [
    { userId: cmd.actorId, trackId, type: 'skip' },
    ...step.interactions,
  ]);
};
