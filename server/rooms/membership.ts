/**
 * join / leave / disconnect. A dropped member keeps the seat (and the host keeps the role until the
 * grace period runs out in tick); leaving gives the seat up, so a leaving host hands over at once.
 */
import { AppError } from '../errors.ts';
import type { Handler, WireMember } from './command-types.ts';
import {
  activeMembers,
  assignHost,
  dropSkipVote,
  findMember,
  isEmpty,
  memberIn,
  successor,
} from './members.ts';
import { clone, commit, unchanged } from './transition.ts';
import type { Member, RoomChange } from './types.ts';

export const wireMember = (m: Member): WireMember => ({
  userId: m.userId,
  displayName: m.displayName,
  role: m.role,
  connected: m.connected,
});

export const join: Handler<'join'> = (room, cmd, now) => {
  const { userId, displayName } = cmd.actor;
  const row = room.members.find((m) => m.userId === userId);
  if (row?.banned) throw new AppError('FORBIDDEN', 'you are banned from this room');

  const draft = clone(room);
  if (row) {
    // A second socket of a connected member changes nothing; a reconnect keeps seat, role and seniority.
    if (row.connected && row.displayName === displayName) {
      return unchanged(room, cmd, { member: wireMember(row), rejoined: true });
    }
    const member = memberIn(draft, userId);
    member.connected = true;
    member.disconnectedAt = null;
    member.displayName = displayName;
    return commit(room, draft, ['members'], cmd, { member: wireMember(member), rejoined: true });
  }

  // Disconnected seats count: they were promised a place when they come back.
  const seats = activeMembers(room).length;
  if (seats >= room.settings.maxMembers) {
    throw new AppError('ROOM_FULL', `room is full (${room.settings.maxMembers} members)`);
  }
  const member: Member = {
    userId,
    displayName,
    role: 'member',
    connected: true,
    joinedAt: now,
    disconnectedAt: null,
    banned: false,
  };
  draft.members.push(member);
  const changes: RoomChange[] = ['members'];
  if (isEmpty(room)) {
    assignHost(draft, userId);
    changes.push('host');
  }
  return commit(room, draft, changes, cmd, { member: wireMember(member), rejoined: false });
};

export const leave: Handler<'leave'> = (room, cmd) => {
  // Idempotent: a late leave after a kick or a double click is not an error.
  if (!findMember(room, cmd.actorId)) return unchanged(room, cmd, { empty: isEmpty(room) });

  const draft = clone(room);
  draft.members = draft.members.filter((m) => m.userId !== cmd.actorId);
  const changes: RoomChange[] = ['members'];
  if (dropSkipVote(draft, cmd.actorId)) changes.push('skipVotes');
  if (room.hostId === cmd.actorId) {
    // With nobody left hostId keeps naming the last host (it is a foreign key in storage); the next
    // joiner of the empty room becomes host.
    const next = successor(draft, cmd.actorId);
    if (next) {
      assignHost(draft, next.userId);
      changes.push('host');
    }
  }
  return commit(room, draft, changes, cmd, { empty: isEmpty(draft) });
};

export const disconnect: Handler<'disconnect'> = (room, cmd, now) => {
  const member = findMember(room, cmd.actorId);
  if (!member?.connected) return unchanged(room, cmd, null);

  const draft = clone(room);
  const seat = memberIn(draft, cmd.actorId);
  seat.connected = false;
  seat.disconnectedAt = now;
  const changes: RoomChange[] = ['members'];
  // Skip votes are a share of the people listening now, so an absent voter's vote goes with them.
  if (dropSkipVote(draft, cmd.actorId)) changes.push('skipVotes');
  return commit(room, draft, changes, cmd, null);
};
