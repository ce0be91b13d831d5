/**
 * What the learner remembers about each asker (user or room) beyond the models: how many positives it
 * gave (cold vs warm weight segment), which tracks it already has (left out of whole-catalog tests), and
 * which members were seen acting in a room (for room contexts that do not list their members).
 */
import { creditsUser, roomKey, userKey } from '../models/shared/signal.ts';
import type { Interaction, ScoringContext } from '../types.ts';

export interface AskerMemoryJSON {
  counts: Array<[string, number]>;
  known: Array<[string, string[]]>;
  rooms: Array<[string, string[]]>;
}

/** Entity key of a context's asker ('' when it names nobody). */
export function askerKey(ctx: ScoringContext): string {
  if (ctx.roomId !== undefined) return roomKey(ctx.roomId);
  return ctx.userId === undefined ? '' : userKey(ctx.userId);
}

export class AskerMemory {
  private counts = new Map<string, number>();
  private known = new Map<string, Set<string>>();
  private rooms = new Map<string, Set<string>>();

  remember(x: Interaction, signal: number): void {
    const keys: string[] = [];
    if (creditsUser(x)) keys.push(userKey(x.userId));
    if (x.roomId !== null) {
      keys.push(roomKey(x.roomId));
      if (creditsUser(x)) addTo(this.rooms, x.roomId, x.userId);
    }
    for (const key of keys) {
      addTo(this.known, key, x.trackId);
      if (signal > 0) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  /** Positive interactions of the context's asker so far. */
  positives(ctx: ScoringContext): number {
    return this.counts.get(askerKey(ctx)) ?? 0;
  }

  /** Tracks the context's asker already interacted with. */
  knownOf(ctx: ScoringContext): ReadonlySet<string> | undefined {
    return this.known.get(askerKey(ctx));
  }

  members(roomId: string | null): string[] | undefined {
    const set = roomId === null ? undefined : this.rooms.get(roomId);
    return set === undefined ? undefined : [...set];
  }

  /** The context, with the members seen in its room when it lists none. */
  withMembers(ctx: ScoringContext): ScoringContext {
    if (ctx.roomId === undefined || ctx.members !== undefined) return ctx;
    const m = this.members(ctx.roomId);
    return m === undefined ? ctx : { ...ctx, members: m };
  }

  toJSON(): AskerMemoryJSON {
    const sets = (m: Map<string, Set<string>>): Array<[string, string[]]> => [...m].map(([k, v]) => [k, [...v]]);
    return { counts: [...this.counts], known: sets(this.known), rooms: sets(this.rooms) };
  }

  static from(d: AskerMemoryJSON): AskerMemory {
    const m = new AskerMemory();
    m.counts = new Map(d.counts);
    m.known = new Map(d.known.map(([k, v]) => [k, new Set(v)]));
    m.rooms = new Map(d.rooms.map(([k, v]) => [k, new Set(v)]));
    return m;
  }
}

function addTo(m: Map<string, Set<string>>, key: string, value: string): void {
  let set = m.get(key);
  if (set === undefined) m.set(key, (set = new Set()));
  set.add(value);
}
