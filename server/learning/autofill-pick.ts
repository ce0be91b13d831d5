/**
 * Autoplay's choice from a room's recommendations: the first pick that is neither queued nor playing.
 * Both learning services (in-process and remote) try their cached push first, then ask for a fresh list.
 */
import type { RoomState } from '../rooms/types.ts';
import type { RecsUpdatedEvent } from './types.ts';

export type AutofillPick = { trackId: string; durationMs: number } | null;

export async function pickAutofill(
  room: RoomState,
  sources: readonly (() => Promise<RecsUpdatedEvent | undefined> | RecsUpdatedEvent | undefined)[],
): Promise<AutofillPick> {
  const taken = new Set([...room.queue.map((q) => q.trackId), ...(room.playback.trackId ? [room.playback.trackId] : [])]);
  for (const source of sources) {
    const item = (await source())?.items.find((i) => !taken.has(i.trackId) && i.durationMs > 0);
    if (item) return { trackId: item.trackId, durationMs: item.durationMs };
  }
  return null;
}
