/** Host-only member management: kick (optionally ban) and handing over the host role. */
import { AppError } from '../errors.ts';
import type { Handler } from './command-types.ts';
import { assignHost, dropSkipVote, findMember, memberIn, requireHost } from './members.ts';
import { clone, commit, unchanged } from './transition.ts';
import type { RoomChange, RoomState } from './types.ts';

export const kick: Handler<'member:kick'> = (room, cmd, now) => {
  requireHost(room, cmd.actorId, 'kick members');
  if (cmd.userId === cmd.actorId) throw new AppError('FORBIDDEN', 'you cannot kick yourself');
  if (!findMember(room, cmd.userId)) throw new AppError('NOT_FOUND', 'member not found');

  const draft = clone(room);
  const changes: RoomChange[] = ['members'];
  const banned = cmd.ban === true;
  if (banned) {
    // The row stays so a rejoin can be refused.
    const row = memberIn(draft, cmd.userId);
    row.banned = true;
    row.connected = false;
    row.disconnectedAt = now;
    row.role = 'member';
    if (purgeQueue(draft, cmd.userId)) changes.push('queue');
  } else {
    draft.members = draft.members.filter((m) => m.userId !== cmd.userId);
  }
  if (dropSkipVote(draft, cmd.userId)) changes.push('skipVotes');
  return commit(room, draft, changes, cmd, { userId: cmd.userId, banned });
};

/** A ban also takes back what the banned member put in the queue and their votes. Returns whether anything went. */
function purgeQueue(draft: RoomState, userId: string): boolean {
  let touched = false;
  const kept = draft.queue.filter((i) => i.autofill || i.addedBy !== userId);
  if (kept.length !== draft.queue.length) touched = true;
  for (const item of kept) {
    if (userId in item.votes) {
      delete item.votes[userId];
      touched = true;
    }
  }
  draft.queue = kept;
  return touched;
}

export const transferHost: Handler<'host:transfer'> = (room, cmd) => {
  requireHost(room, cmd.actorId, 'transfer the host role');
  if (cmd.userId === cmd.actorId) return unchanged(room, cmd, { hostId: room.hostId });
  const target = findMember(room, cmd.userId);
  if (!target) throw new AppError('NOT_FOUND', 'member not found');
  // An absent host would leave the room without controls until the grace period passes it on again.
  if (!target.connected) throw new AppError('CONFLICT', 'that member is disconnected');

  const draft = clone(room);
  assignHost(draft, cmd.userId);
  return commit(room, draft, ['host', 'members'], cmd, { hostId: cmd.userId });
};
