/**
 * The commands the room domain understands. The transport has validated shapes (zod) and resolved ids
 * and durations from the catalog; the domain checks the semantic rules (roles, caps, state).
 */
import type { RoomSettings, RoomSnapshot, RoomState, Transition, WirePlayback, WireQueueItem } from './types.ts';

/** A track the service picked (e.g. a recommendation) to play when the queue runs dry and autoplay is on. */
export interface Autofill {
  itemId: string;
  trackId: string;
  durationMs: number;
}

export type RoomCommand =
  | { type: 'join'; actor: { userId: string; displayName: string } }
  | { type: 'leave'; actorId: string }
  | { type: 'disconnect'; actorId: string }
  | { type: 'queue:add'; actorId: string; itemId: string; trackId: string; durationMs: number; autofill?: boolean }
  | { type: 'queue:remove'; actorId: string; itemId: string }
  | { type: 'queue:move'; actorId: string; itemId: string; toIndex: number }
  | { type: 'queue:vote'; actorId: string; itemId: string; value: -1 | 0 | 1 }
  | { type: 'playback:play'; actorId: string; trackId?: string; durationMs?: number }
  | { type: 'playback:pause'; actorId: string }
  | { type: 'playback:seek'; actorId: string; positionMs: number }
  | { type: 'playback:skip'; actorId: string; autofill?: Autofill }
  | { type: 'skip:vote'; actorId: string; autofill?: Autofill }
  | { type: 'track:react'; actorId: string; trackId: string; reaction: 'like' | 'dislike' }
  | { type: 'room:settings'; actorId: string; patch: Partial<RoomSettings> }
  | { type: 'member:kick'; actorId: string; userId: string; ban?: boolean }
  | { type: 'host:transfer'; actorId: string; userId: string }
  // System command (actorId null): the service sends it when nextDeadline() passes.
  | { type: 'tick'; hostGraceMs: number; autofill?: Autofill };

export type CommandType = RoomCommand['type'];
export type CommandOf<K extends CommandType> = Extract<RoomCommand, { type: K }>;
export type WireMember = RoomSnapshot['members'][number];

/** The `result` of each command's Transition (what the transport may put in the ack). */
export interface CommandResults {
  join: { member: WireMember; rejoined: boolean };
  leave: { empty: boolean };
  disconnect: null;
  'queue:add': { item: WireQueueItem };
  'queue:remove': { itemId: string };
  'queue:move': { itemId: string; index: number };
  'queue:vote': { itemId: string; votes: number };
  'playback:play': { playback: WirePlayback };
  'playback:pause': { playback: WirePlayback };
  'playback:seek': { playback: WirePlayback };
  'playback:skip': { playback: WirePlayback };
  'skip:vote': { count: number; needed: number; skipped: boolean };
  'track:react': null;
  'room:settings': { settings: RoomSettings };
  'member:kick': { userId: string; banned: boolean };
  'host:transfer': { hostId: string };
  /** completed = how many tracks ended during this tick. */
  tick: { completed: number; hostId: string };
}

export type ResultOf<K extends CommandType> = CommandResults[K];

export type Handler<K extends CommandType> = (
  room: RoomState,
  cmd: CommandOf<K>,
  now: number,
) => Transition<ResultOf<K>>;
