/** A user's or room's history as the item model sees it: item index → saturated value, in arrival order. */
import type { ScoringContext } from '../types.ts';
import { roomKey, userKey } from './shared/signal.ts';

export type BasketJSON = [number[], number[]];

export class Basket {
  /** Items in arrival order and their values, side by side: the update loop reads both without hashing. */
  readonly order: number[] = [];
  readonly values: number[] = [];
  private readonly pos = new Map<number, number>();

  get(j: number): number {
    const p = this.pos.get(j);
    return p === undefined ? 0 : (this.values[p] as number);
  }

  set(j: number, v: number): void {
    const p = this.pos.get(j);
    if (p !== undefined) {
      this.values[p] = v;
      return;
    }
    this.pos.set(j, this.order.length);
    this.order.push(j);
    this.values.push(v);
  }

  /** The most recent `limit` items (the window new items co-occur with). */
  recent(limit: number): readonly number[] {
    return this.order.length <= limit ? this.order : this.order.slice(this.order.length - limit);
  }

  get size(): number {
    return this.order.length;
  }

  toJSON(): BasketJSON {
    return [[...this.order], [...this.values]];
  }

  static from([order, vals]: BasketJSON): Basket {
    const b = new Basket();
    order.forEach((j, n) => b.set(j, vals[n] ?? 0));
    return b;
  }
}

export interface HistoryOptions {
  historyLimit: number;
  memberWeight: number;
  memberBackoff: number;
}

/**
 * The (item, weight) history a context is scored from: the user's basket, or the room's basket plus its
 * members' mean basket (weighted by memberWeight, or memberBackoff while the room has no history).
 */
export function historyOf(
  context: ScoringContext,
  baskets: ReadonlyMap<string, Basket>,
  o: HistoryOptions,
): Array<readonly [number, number]> {
  const acc = new Map<number, number>();
  const addBasket = (b: Basket | undefined, w: number): void => {
    if (b === undefined || w === 0) return;
    for (const j of b.recent(o.historyLimit)) {
      const v = b.get(j) * w;
      if (v !== 0) acc.set(j, (acc.get(j) ?? 0) + v);
    }
  };
  if (context.roomId !== undefined) {
    const room = baskets.get(roomKey(context.roomId));
    addBasket(room, 1);
    const members = context.members ?? [];
    const mw = room !== undefined && room.size > 0 ? o.memberWeight : o.memberBackoff;
    if (mw > 0 && members.length > 0) {
      const withHistory = members.map((m) => baskets.get(userKey(m))).filter((b) => b !== undefined);
      for (const b of withHistory) addBasket(b, mw / withHistory.length);
    }
  } else if (context.userId !== undefined) {
    addBasket(baskets.get(userKey(context.userId)), 1);
  }
  return [...acc];
}
