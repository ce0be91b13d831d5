/**
 * The system tick: the only place time passes on its own. Tracks that ran out are completed and the
 * next ones start at the exact moment the previous one ended (not at `now`), so a late timer does not
 * make the room's clock drift; several tracks may end in one tick. A host who has been gone longer
 * than the grace period hands over to the longest-present connected member.
 */
import type { Handler } from './command-types.ts';
import { advance } from './advance.ts';
import { assignHost, connectedMembers, findMember, longestPresent, successor } from './members.ts';
import { trackEndsAt } from './playback-clock.ts';
import { clone, commit, unchanged } from './transition.ts';
import type { DomainInteraction, RoomChange, RoomState } from './types.ts';

export const tick: Handler<'tick'> = (room, cmd, now) => {
  if (room.closedAt !== null) return unchanged(room, cmd, { completed: 0, hostId: room.hostId });
  const draft = clone(room);
  const changes: RoomChange[] = [];
  const interactions: DomainInteraction[] = [];
  let autofill = cmd.autofill;
  let completed = 0;

  for (let end = trackEndsAt(draft.playback); end !== null && end <= now; end = trackEndsAt(draft.playback)) {
    const { trackId, addedBy } = draft.playback;
    // Nobody acted; the signal is that the picker's choice was heard to the end. Autofill has no picker.
    if (trackId !== null && addedBy !== null) interactions.push({ userId: addedBy, trackId, type: 'complete' });
    completed++;
    const step = advance(draft, end, autofill);
    if (step.usedAutofill) autofill = undefined;
    changes.push(...step.changes);
    interactions.push(...step.interactions);
  }

  const host = findMember(draft, draft.hostId);
  if (host && graceExpired(draft, cmd.hostGraceMs, now)) {
    const next = longestPresent(connectedMembers(draft).filter((m) => m.userId !== host.userId));
    if (next) {
      assignHost(draft, next.userId);
      changes.push('host', 'members');
    }
  } else if (!host) {
    // Defensive repair of a state that lost its host (e.g. hand-edited storage): never leave a room headless.
    const next = successor(draft, draft.hostId);
    if (next) {
      assignHost(draft, next.userId);
      changes.push('host', 'members');
    }
  }
  return commit(room, draft, changes, cmd, { completed, hostId: draft.hostId }, interactions);
};

function graceDeadline(room: RoomState, hostGraceMs: number): number | null {
  const host = findMember(room, room.hostId);
  if (!host || host.connected || host.disconnectedAt === null) return null;
  return host.disconnectedAt + hostGraceMs;
}

const graceExpired = (room: RoomState, hostGraceMs: number, now: number): boolean => {
  const deadline = graceDeadline(room, hostGraceMs);
  return deadline !== null && now >= deadline;
};

/**
 * The earliest time a tick would change something: the current track's end, or the host's grace
 * expiry when someone connected could take over. Null = no timer needed (recompute after every
 * transition). It may already be past when a tick is overdue; tick at once then.
 */
export function nextDeadline(room: RoomState, hostGraceMs: number): number | null {
  if (room.closedAt !== null) return null;
  const times: number[] = [];
  const end = trackEndsAt(room.playback);
  if (end !== null) times.push(end);
  const grace = graceDeadline(room, hostGraceMs);
  if (grace !== null && connectedMembers(room).some((m) => m.userId !== room.hostId)) times.push(grace);
  return times.length > 0 ? Math.min(...times) : null;
}
