/**
 * The autofill hook: when a command may advance past the last queued track and autoplay is on, ask
 * a provider (recommendations, in a later issue) for a track and hand it to the domain with the
 * command. The domain decides whether it is used; a failing provider only means no autofill.
 */
import { nanoid } from 'nanoid';
import type { Logger } from '../logger.ts';
import type { CommandType, RoomCommand, RoomState } from '../rooms/index.ts';

export type AutofillProvider = (room: RoomState) => Promise<{ trackId: string; durationMs: number } | null>;

/** Commands that may advance to the next track. */
const ADVANCING = new Set<CommandType>(['playback:skip', 'skip:vote', 'tick']);

export async function withAutofill(
  provider: AutofillProvider | undefined,
  room: RoomState,
  cmd: RoomCommand,
  log: Pick<Logger, 'warn'>,
): Promise<RoomCommand> {
  if (!provider || !ADVANCING.has(cmd.type) || !room.settings.autoplay || room.queue.length > 0) return cmd;
  try {
    const pick = await provider(room);
    return pick ? ({ ...cmd, autofill: { itemId: nanoid(), ...pick } } as RoomCommand) : cmd;
  } catch (err) {
    log.warn({ err, roomId: room.id }, 'autofill failed; advancing without it');
    return cmd;
  }
}
