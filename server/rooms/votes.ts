/**
 * skip:vote and track:react. Skip votes are a share of the members connected right now: a voter who
 * drops loses their vote (disconnect removes it) and only connected voters are counted.
 */
import { AppError } from '../errors.ts';
import type { Handler } from './command-types.ts';
import { advance } from './advance.ts';
import { connectedCount, findMember, requireMember } from './members.ts';
import { clone, commit, unchanged } from './transition.ts';
import type { DomainInteraction, RoomChange, RoomState } from './types.ts';

export function skipVoteCount(room: RoomState): number {
  return room.skipVotes.filter((id) => findMember(room, id)?.connected === true).length;
}

/** ceil(threshold × connected), at least 1. The epsilon keeps 0.3 × 10 = 3.0000000000000004 at 3. */
export function skipVotesNeeded(room: RoomState): number {
  return Math.max(1, Math.ceil(room.settings.skipThreshold * connectedCount(room) - 1e-9));
}

export const skipVote: Handler<'skip:vote'> = (room, cmd, now) => {
  requireMember(room, cmd.actorId);
  const trackId = room.playback.trackId;
  if (room.playback.status === 'idle' || trackId === null) throw new AppError('CONFLICT', 'nothing is playing');

  const draft = clone(room);
  const repeat = room.skipVotes.includes(cmd.actorId);
  if (!repeat) draft.skipVotes.push(cmd.actorId);
  const count = skipVoteCount(draft);
  const needed = skipVotesNeeded(draft);
  const interactions: DomainInteraction[] = repeat ? [] : [{ userId: cmd.actorId, trackId, type: 'skip_vote' }];

  // A repeated vote is not counted twice, but it re-checks the threshold: members who left since may
  // have lowered `needed` to below the votes already cast (leaving never skips by itself).
  if (count >= needed) {
    const step = advance(draft, now, cmd.autofill);
    const changes: RoomChange[] = [...step.changes, 'skipVotes'];
    return commit(room, draft, changes, cmd, { count, needed, skipped: true }, [
      ...interactions,
      ...step.interactions,
    ]);
  }
  if (repeat) return unchanged(room, cmd, { count, needed, skipped: false });
  return commit(room, draft, ['skipVotes'], cmd, { count, needed, skipped: false }, interactions);
};

/** Feedback for the learner only: the room itself does not change, so neither does its version. */
export const react: Handler<'track:react'> = (room, cmd) => {
  requireMember(room, cmd.actorId);
  if (cmd.trackId === '') throw new AppError('VALIDATION', 'trackId is required');
  return unchanged(room, cmd, null, [{ userId: cmd.actorId, trackId: cmd.trackId, type: cmd.reaction }]);
};
