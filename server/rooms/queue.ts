/**
 * queue:add / remove / move / vote. Adding never starts playback: even an idle room waits for a
 * controller to press play, so nobody's speakers start by surprise (autoplay only decides what follows
 * a track that ended).
 */
import { AppError } from '../errors.ts';
import type { Handler } from './command-types.ts';
import { requireControl, requireMember } from './members.ts';
import { requirePositiveDuration } from './playback-clock.ts';
import { netVotes } from './queue-order.ts';
import { wireQueue } from './snapshot.ts';
import { clone, commit, unchanged } from './transition.ts';
import type { DomainInteraction, QueueItem } from './types.ts';

export const addToQueue: Handler<'queue:add'> = (room, cmd, now) => {
  requireMember(room, cmd.actorId);
  requirePositiveDuration(cmd.durationMs, 'a queued track');
  if (room.queue.some((i) => i.id === cmd.itemId)) throw new AppError('CONFLICT', 'duplicate queue item id');
  // One entry per track: a second request is better spent as an upvote.
  if (room.queue.some((i) => i.trackId === cmd.trackId)) {
    throw new AppError('CONFLICT', 'that track is already in the queue');
  }
  const autofill = cmd.autofill === true;
  if (!autofill) {
    const limit = room.settings.maxQueuedPerMember;
    const mine = room.queue.filter((i) => !i.autofill && i.addedBy === cmd.actorId).length;
    if (mine >= limit) throw new AppError('CONFLICT', `you already have ${mine} tracks queued (limit ${limit})`);
  }

  const item: QueueItem = {
    id: cmd.itemId,
    trackId: cmd.trackId,
    addedBy: cmd.actorId,
    addedAt: now,
    durationMs: cmd.durationMs,
    votes: {},
    autofill,
  };
  const draft = clone(room);
  // Member picks go ahead of fill-ins the autoplay put there while the queue was dry.
  const firstFill = draft.queue.findIndex((i) => i.autofill);
  draft.queue.splice(autofill || firstFill < 0 ? draft.queue.length : firstFill, 0, item);

  const wire = wireQueue(draft).find((w) => w.id === item.id);
  if (!wire) throw new AppError('INTERNAL', 'added item missing from the queue');
  const interactions: DomainInteraction[] = autofill
    ? []
    : [{ userId: cmd.actorId, trackId: cmd.trackId, type: 'queue_add' }];
  return commit(room, draft, ['queue'], cmd, { item: wire }, interactions);
};

function findItem(items: readonly QueueItem[], itemId: string): QueueItem {
  const item = items.find((i) => i.id === itemId);
  if (!item) throw new AppError('NOT_FOUND', 'queue item not found');
  return item;
}

export const removeFromQueue: Handler<'queue:remove'> = (room, cmd) => {
  requireMember(room, cmd.actorId);
  const item = findItem(room.queue, cmd.itemId);
  if (item.addedBy !== cmd.actorId && room.hostId !== cmd.actorId) {
    throw new AppError('FORBIDDEN', 'only the host or the member who added it can remove this track');
  }
  const draft = clone(room);
  draft.queue = draft.queue.filter((i) => i.id !== cmd.itemId);
  return commit(room, draft, ['queue'], cmd, { itemId: cmd.itemId });
};

export const moveInQueue: Handler<'queue:move'> = (room, cmd) => {
  requireControl(room, cmd.actorId, 'reorder the queue');
  // Only fifo has a hand-made order; the other modes compute theirs, so a move would silently undo.
  if (room.settings.queueMode === 'votes') {
    throw new AppError('CONFLICT', 'in votes mode the queue is ordered by votes; vote instead of moving');
  }
  if (room.settings.queueMode === 'round-robin') {
    throw new AppError('CONFLICT', 'in round-robin mode the queue order is automatic');
  }
  const from = room.queue.findIndex((i) => i.id === cmd.itemId);
  if (from < 0) throw new AppError('NOT_FOUND', 'queue item not found');
  const last = room.queue.length - 1;
  const to = Math.min(Math.max(Number.isFinite(cmd.toIndex) ? Math.trunc(cmd.toIndex) : last, 0), last);
  if (to === from) return unchanged(room, cmd, { itemId: cmd.itemId, index: from });

  const draft = clone(room);
  const [moved] = draft.queue.splice(from, 1);
  if (moved) draft.queue.splice(to, 0, moved);
  return commit(room, draft, ['queue'], cmd, { itemId: cmd.itemId, index: to });
};

export const voteOnItem: Handler<'queue:vote'> = (room, cmd) => {
  requireMember(room, cmd.actorId);
  const item = findItem(room.queue, cmd.itemId);
  const current = item.votes[cmd.actorId] ?? 0;
  // Re-sending the same vote is not a second signal for the learner.
  if (current === cmd.value) return unchanged(room, cmd, { itemId: item.id, votes: netVotes(item) });

  const draft = clone(room);
  const target = findItem(draft.queue, cmd.itemId);
  if (cmd.value === 0) delete target.votes[cmd.actorId];
  else target.votes[cmd.actorId] = cmd.value;
  const interactions: DomainInteraction[] =
    cmd.value === 0
      ? []
      : [{ userId: cmd.actorId, trackId: item.trackId, type: cmd.value === 1 ? 'vote_up' : 'vote_down' }];
  return commit(room, draft, ['queue'], cmd, { itemId: item.id, votes: netVotes(target) }, interactions);
};
