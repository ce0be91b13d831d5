/**
 * Moving on to the next track: after a skip, a successful skip vote, or the end of a track (tick).
 * The next queued item in play order starts at `at`; with a dry queue an autofill track starts when
 * the room has autoplay on, otherwise the room goes idle.
 */
import type { Autofill } from './command-types.ts';
import { idlePlayback, requirePositiveDuration, startTrack } from './playback-clock.ts';
import { orderedQueue } from './queue-order.ts';
import type { DomainInteraction, RoomChange, RoomState } from './types.ts';

export interface AdvanceStep {
  changes: RoomChange[];
  /** `play` for the picker of the track that started (none for autofill): it is their pick being heard. */
  interactions: DomainInteraction[];
  usedAutofill: boolean;
}

export function advance(draft: RoomState, at: number, autofill?: Autofill): AdvanceStep {
  const changes: RoomChange[] = ['playback'];
  if (draft.skipVotes.length > 0) changes.push('skipVotes');

  const next = orderedQueue(draft)[0];
  if (next) {
    draft.queue = draft.queue.filter((i) => i.id !== next.id);
    changes.push('queue');
    const addedBy = next.autofill ? null : next.addedBy;
    startTrack(draft, { trackId: next.trackId, durationMs: next.durationMs, addedBy, autofill: next.autofill }, at);
    const interactions: DomainInteraction[] = addedBy ? [{ userId: addedBy, trackId: next.trackId, type: 'play' }] : [];
    return { changes, interactions, usedAutofill: false };
  }
  if (autofill && draft.settings.autoplay) {
    const durationMs = requirePositiveDuration(autofill.durationMs, 'an autofill track');
    startTrack(draft, { trackId: autofill.trackId, durationMs, addedBy: null, autofill: true }, at);
    return { changes, interactions: [], usedAutofill: true };
  }
  draft.playback = idlePlayback(at);
  draft.skipVotes = [];
  return { changes, interactions: [], usedAutofill: false };
}
