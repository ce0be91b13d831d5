/** What the views get: the room, the user, the clock and one way to send an edit. */
import type { ClientEventName, RoomSnapshot } from '../../server/transport/socket/events.ts';
import type { ClockSync } from './clock-sync.ts';
import type { AckData, ChorusSocket, Payload } from './connection.ts';
import type { Identity } from './identity.ts';
import type { RecsStore } from './recs-store.ts';
import type { RoomState } from './room-state.ts';
import type { PreviewSynth } from './synth.ts';

export interface App {
  me: Identity;
  socket: ChorusSocket;
  state: RoomState;
  clock: ClockSync;
  synth: PreviewSynth;
  recs: RecsStore;
  /** My queue votes (the wire only carries net counts): itemId → -1 | 1. */
  myVotes: Map<string, -1 | 1>;
  /** My reaction to each track this session. */
  myReactions: Map<string, 'like' | 'dislike'>;
  /** Interaction ids my reactions stored; a recs:updated listing one in `learned` learned from me. */
  myInteractions: Set<string>;
  /** Send an edit; errors are announced, and null is returned. */
  act<E extends ClientEventName>(event: E, payload: Payload<E>, done?: string): Promise<AckData<E> | null>;
  announce(message: string, kind?: 'info' | 'error'): void;
  leave(): void;
}

export const roomOf = (app: App): RoomSnapshot | null => app.state.room;

export function isHost(app: App): boolean {
  return app.state.room?.hostId === app.me.userId;
}

/** Playback and queue order: the host, or anyone when the room's guestControls is on. */
export function canControl(app: App): boolean {
  const room = app.state.room;
  return !!room && (room.hostId === app.me.userId || room.settings.guestControls);
}

export function memberName(app: App, userId: string): string {
  if (userId === app.me.userId) return 'you';
  return app.state.room?.members.find((m) => m.userId === userId)?.displayName ?? 'someone who left';
}
