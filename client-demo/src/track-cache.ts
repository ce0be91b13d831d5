/**
 * Queue items and playback carry only track ids; the page needs titles, artists and the audio features
 * that shape the synthesized preview. One fetch per id, shared by every view.
 */
import { api, type CatalogTrack } from './api.ts';

const known = new Map<string, CatalogTrack>();
const pending = new Map<string, Promise<CatalogTrack | null>>();
const listeners = new Set<() => void>();

export function remember(tracks: readonly CatalogTrack[]): void {
  for (const t of tracks) known.set(t.id, t);
}

/** The track if already known; otherwise starts loading it and notifies listeners when it arrives. */
export function trackInfo(id: string): CatalogTrack | undefined {
  const hit = known.get(id);
  if (hit) return hit;
  void loadTrack(id);
  return undefined;
}

export function loadTrack(id: string): Promise<CatalogTrack | null> {
  const hit = known.get(id);
  if (hit) return Promise.resolve(hit);
  let p = pending.get(id);
  if (!p) {
    p = api.track(id).then(
      (t) => {
        known.set(id, t);
        pending.delete(id);
        for (const fn of listeners) fn();
        return t;
      },
      () => {
        pending.delete(id);
        return null;
      },
    );
    pending.set(id, p);
  }
  return p;
}

export function onTracksLoaded(fn: () => void): void {
  listeners.add(fn);
}
