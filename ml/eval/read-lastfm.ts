/**
 * Reader for hetrec2011 Last.fm 2K. Tag assignments (user_taggedartists.dat: userID artistID tagID day
 * month year) ordered by date form the prequential stream. Quirks handled here: a few rows carry bogus
 * years (1956-1979, before Last.fm existed) and are dropped (`minYear`, counted in `dropped`); tags.dat is
 * ISO-8859-1, not UTF-8. Dates are mostly the 1st of a month, so many events share a timestamp: the sort
 * is stable and keeps the file order (user, then artist) within a date.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TagAssignment {
  userId: string;
  artistId: string;
  tagId: string;
  /** ms since epoch, UTC midnight of the assignment's date. */
  time: number;
}

export interface LastfmData {
  /** All tag assignments with a plausible date, in date order. */
  assignments: TagAssignment[];
  /** Assignments dropped for a year before minYear. */
  dropped: number;
  artists: Map<string, string>;
  tags: Map<string, string>;
}

function rows(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .slice(1) // header
    .filter((l) => l.trim().length > 0)
    .map((l) => l.split('\t'));
}

export function readLastfm(dir: string, minYear = 2005): LastfmData {
  const assignments: TagAssignment[] = [];
  let dropped = 0;
  for (const f of rows(readFileSync(join(dir, 'user_taggedartists.dat'), 'utf8'))) {
    const [user, artist, tag, day, month, year] = f;
    const y = Number(year);
    if (user === undefined || artist === undefined || tag === undefined || !Number.isFinite(y)) continue;
    if (y < minYear) {
      dropped++;
      continue;
    }
    assignments.push({ userId: user, artistId: artist, tagId: tag, time: Date.UTC(y, Number(month) - 1, Number(day)) });
  }
  // Array.prototype.sort is stable: equal dates keep the file order.
  assignments.sort((a, b) => a.time - b.time);
  const artists = new Map<string, string>();
  const artistFile = join(dir, 'artists.dat');
  if (existsSync(artistFile)) {
    for (const [id, name] of rows(readFileSync(artistFile, 'utf8'))) if (id !== undefined) artists.set(id, name ?? id);
  }
  const tags = new Map<string, string>();
  const tagFile = join(dir, 'tags.dat');
  if (existsSync(tagFile)) {
    for (const [id, name] of rows(readFileSync(tagFile).toString('latin1'))) if (id !== undefined) tags.set(id, name ?? id);
  }
  return { assignments, dropped, artists, tags };
}

/**
 * The event stream: the first time each user tags each artist (re-tagging an artist the user already
 * tagged is not a new discovery, and several tags given at once are one event).
 */
export function firstTagEvents(assignments: readonly TagAssignment[]): TagAssignment[] {
  const seen = new Set<string>();
  const out: TagAssignment[] = [];
  for (const a of assignments) {
    const key = `${a.userId}\t${a.artistId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}

/** The `n` most used tag names over all assignments (the content model's fixed column set). */
export function topTags(d: LastfmData, n = 100): string[] {
  const counts = new Map<string, number>();
  for (const a of d.assignments) counts.set(a.tagId, (counts.get(a.tagId) ?? 0) + 1);
  return [...counts]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, n)
    .map(([t]) => d.tags.get(t) ?? t);
}

/**
 * Artist tag metadata as it was known before a point in time: the content model must not see tags given
 * at or after the event it is tested on (a user's own future tags would leak the answer). Feed the
 * assignments in date order with `advance(t)`; `catalog()` lists every artist with its tags so far.
 */
export class TagHistory {
  private next = 0;
  private counts = new Map<string, Map<string, number>>();

  constructor(
    private readonly d: LastfmData,
    private readonly artistIds: readonly string[],
    private readonly perArtist = 20,
  ) {}

  /** Take in every assignment strictly before time t; true when anything new was added. */
  advance(t: number): boolean {
    const start = this.next;
    const all = this.d.assignments;
    while (this.next < all.length && (all[this.next] as TagAssignment).time < t) {
      const a = all[this.next++] as TagAssignment;
      let m = this.counts.get(a.artistId);
      if (m === undefined) this.counts.set(a.artistId, (m = new Map()));
      m.set(a.tagId, (m.get(a.tagId) ?? 0) + 1);
    }
    return this.next > start;
  }

  catalog(): Array<{ id: string; artist?: string; tags: string[] }> {
    return this.artistIds.map((id) => {
      const m = this.counts.get(id);
      const tags =
        m === undefined
          ? []
          : [...m]
              .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
              .slice(0, this.perArtist)
              .map(([t]) => this.d.tags.get(t) ?? t);
      const name = this.d.artists.get(id);
      return name === undefined ? { id, tags } : { id, artist: name, tags };
    });
  }
}
