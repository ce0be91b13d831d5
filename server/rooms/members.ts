/**
 * Member lookups and the permission checks every command shares. Banned rows stay in `members` (so a
 * rejoin can be refused) but are never treated as members here.
 */
import { AppError } from '../errors.ts';
import type { Member, RoomState } from './types.ts';

export const activeMembers = (room: RoomState): Member[] => room.members.filter((m) => !m.banned);

export const findMember = (room: RoomState, userId: string): Member | undefined =>
  room.members.find((m) => m.userId === userId && !m.banned);

export const connectedMembers = (room: RoomState): Member[] =>
  room.members.filter((m) => m.connected && !m.banned);

export const connectedCount = (room: RoomState): number => connectedMembers(room).length;

/** No members left (banned rows do not count): the service may close the room after its idle timeout. */
export const isEmpty = (room: RoomState): boolean => activeMembers(room).length === 0;

export function requireMember(room: RoomState, userId: string): Member {
  const member = findMember(room, userId);
  if (!member) throw new AppError('FORBIDDEN', 'you are not a member of this room');
  return member;
}

export function requireHost(room: RoomState, userId: string, action: string): Member {
  const member = requireMember(room, userId);
  if (room.hostId !== userId) throw new AppError('FORBIDDEN', `only the host can ${action}`);
  return member;
}

/** Playback and queue order: the host, or anyone when the host turned guestControls on. */
export function requireControl(room: RoomState, userId: string, action: string): Member {
  const member = requireMember(room, userId);
  if (room.hostId !== userId && !room.settings.guestControls) {
    throw new AppError('FORBIDDEN', `only the host can ${action} (guest controls are off)`);
  }
  return member;
}

/** Earliest joinedAt; ties go to the earlier row, which is join order. */
export function longestPresent(members: readonly Member[]): Member | undefined {
  let best: Member | undefined;
  for (const m of members) if (!best || m.joinedAt < best.joinedAt) best = m;
  return best;
}

/** Who inherits the host role when it must move right now: prefer someone who is actually here. */
export function successor(room: RoomState, excluding: string): Member | undefined {
  const others = activeMembers(room).filter((m) => m.userId !== excluding);
  return longestPresent(others.filter((m) => m.connected)) ?? longestPresent(others);
}

/** Keeps hostId and the role fields in step so there is exactly one host. */
export function assignHost(draft: RoomState, userId: string): void {
  draft.hostId = userId;
  for (const m of draft.members) m.role = m.userId === userId && !m.banned ? 'host' : 'member';
}

/** Returns whether a vote was removed. */
export function dropSkipVote(draft: RoomState, userId: string): boolean {
  const before = draft.skipVotes.length;
  draft.skipVotes = draft.skipVotes.filter((id) => id !== userId);
  return draft.skipVotes.length !== before;
}

/** Looks a member up in a draft the caller already validated against the original. */
export function memberIn(draft: RoomState, userId: string): Member {
  const member = findMember(draft, userId);
  if (!member) throw new AppError('INTERNAL', `member ${userId} vanished from the draft`);
  return member;
}
