/**
 * The room domain's single entry point: applyCommand(room, cmd, now) → Transition. Pure: the input is
 * never mutated, time comes in as `now`, ids come in on the commands.
 *
 * A Transition whose room.version equals the input's changed nothing (changes is [], room is the input
 * itself); persist and broadcast only when the version moved. It may still carry interactions
 * (track:react) to record.
 */
import { AppError } from '../errors.ts';
import type { CommandType, Handler, ResultOf, RoomCommand } from './command-types.ts';
import { disconnect, join, leave } from './membership.ts';
import { kick, transferHost } from './moderation.ts';
import { pause, play, seek, skip } from './playback.ts';
import { addToQueue, moveInQueue, removeFromQueue, voteOnItem } from './queue.ts';
import { updateSettings } from './settings.ts';
import { tick } from './tick.ts';
import type { RoomState, Transition } from './types.ts';
import { react, skipVote } from './votes.ts';

export type { Autofill, CommandOf, CommandResults, CommandType, ResultOf, RoomCommand } from './command-types.ts';
export { connectedCount, isEmpty } from './members.ts';
export { orderedQueue } from './queue-order.ts';
export { nextDeadline } from './tick.ts';

const HANDLERS: { [K in CommandType]: Handler<K> } = {
  join,
  leave,
  disconnect,
  'queue:add': addToQueue,
  'queue:remove': removeFromQueue,
  'queue:move': moveInQueue,
  'queue:vote': voteOnItem,
  'playback:play': play,
  'playback:pause': pause,
  'playback:seek': seek,
  'playback:skip': skip,
  'skip:vote': skipVote,
  'track:react': react,
  'room:settings': updateSettings,
  'member:kick': kick,
  'host:transfer': transferHost,
  tick,
};

export function applyCommand<C extends RoomCommand>(
  room: RoomState,
  cmd: C,
  now: number,
): Transition<ResultOf<C['type']>> {
  // A closed room is gone as far as clients can tell; tick on it is a no-op (a stray timer).
  if (room.closedAt !== null && cmd.type !== 'tick') throw new AppError('NOT_FOUND', 'room not found');
  const handler = HANDLERS[cmd.type] as unknown as (r: RoomState, c: C, n: number) => Transition<ResultOf<C['type']>>;
  return handler(room, cmd, now);
}
