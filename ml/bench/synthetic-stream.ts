/**
 * A synthetic interaction stream over a real catalog, for benchmarks: users with one to three favourite
 * genres and a handful of favourite artists, popularity-skewed track choice, rooms of listeners, and a
 * realistic mix of event types. Deterministic for a seed.
 */
import type { Interaction, InteractionType } from '../types.ts';
import type { CatalogTrack } from './read-catalog.ts';

export interface StreamOptions {
  users?: number;
  perUser?: number;
  rooms?: number;
  roomSize?: number;
  /** Share of interactions that happen inside a room. */
  inRoom?: number;
  seed?: number;
}

export interface SyntheticStream {
  interactions: Interaction[];
  users: string[];
  rooms: { id: string; members: string[] }[];
}

const TYPES: [InteractionType, number][] = [
  ['play', 0.4],
  ['complete', 0.28],
  ['like', 0.1],
  ['skip', 0.15],
  ['queue_add', 0.05],
  ['vote_up', 0.02],
];

export function syntheticStream(tracks: readonly CatalogTrack[], opts: StreamOptions = {}): SyntheticStream {
  const { users: nUsers = 1000, perUser = 100, rooms: nRooms = 100, roomSize = 10, inRoom = 0.3, seed = 7 } = opts;
  let s = seed >>> 0 || 1;
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

  // Tracks by genre, each genre list holding tracks in proportion to popularity (cheap weighted sampling).
  const byGenre = new Map<string, number[]>();
  const byArtist = new Map<string, number[]>();
  tracks.forEach((t, i) => {
    const copies = 1 + Math.floor(t.popularity / 20);
    const g = t.genre ?? 'unknown';
    const list = byGenre.get(g) ?? [];
    for (let c = 0; c < copies; c++) list.push(i);
    byGenre.set(g, list);
    if (t.artist) byArtist.set(t.artist, [...(byArtist.get(t.artist) ?? []), i]);
  });
  const genres = [...byGenre.keys()];

  const users = Array.from({ length: nUsers }, (_, u) => `user${u}`);
  const taste = users.map(() => {
    const gs = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(genres));
    const artists = Array.from({ length: 5 }, () => tracks[pick(byGenre.get(pick(gs)) ?? [0])]?.artist).filter((a): a is string => !!a);
    return { gs, artists };
  });
  const rooms = Array.from({ length: nRooms }, (_, r) => ({
    id: `room${r}`,
    members: Array.from(new Set(Array.from({ length: roomSize }, () => pick(users)))),
  }));
  const roomsOf = new Map<string, string[]>();
  for (const r of rooms) for (const m of r.members) roomsOf.set(m, [...(roomsOf.get(m) ?? []), r.id]);

  const interactions: Interaction[] = [];
  const total = nUsers * perUser;
  const t0 = Date.UTC(2025, 0, 1);
  for (let k = 0; k < total; k++) {
    const u = Math.floor(rand() * nUsers);
    const userId = users[u] ?? 'user0';
    const t = taste[u] ?? { gs: genres, artists: [] };
    const fav = t.artists.length > 0 && rand() < 0.3 ? byArtist.get(pick(t.artists)) : undefined;
    const track = tracks[fav ? pick(fav) : pick(byGenre.get(pick(t.gs)) ?? [0])] ?? tracks[0];
    const myRooms = roomsOf.get(userId);
    const roomId = myRooms && rand() < inRoom ? pick(myRooms) : null;
    let x = rand();
    let type: InteractionType = 'play';
    for (const [ty, p] of TYPES) {
      if ((x -= p) < 0) {
        type = ty;
        break;
      }
    }
    const createdAt = t0 + k * 15_000;
    const d = new Date(createdAt);
    interactions.push({
      id: `ev${k}`,
      userId,
      roomId,
      trackId: track?.id ?? 'none',
      type,
      context: { hour: d.getUTCHours(), weekday: d.getUTCDay() },
      createdAt,
    });
  }
  return { interactions, users, rooms };
}
