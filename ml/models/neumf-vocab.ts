/**
 * Online vocabulary: string ids → rows of a pre-allocated embedding table.
 *
 * tfjs cannot grow an Embedding layer in place, so tables are allocated once with a fixed capacity. The first
 * `capacity - overflowRows` ids get rows of their own, in arrival order. Once those are used up, every new id
 * hashes (FNV-1a) into the last `overflowRows` rows and shares an embedding with the other late ids there: the
 * model degrades gracefully instead of failing, and the hash is stable so snapshots need not store those ids.
 */

export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class IdTable {
  private readonly rows = new Map<string, number>();
  /** ids in row order, for the rows assigned one-to-one */
  readonly ids: string[] = [];
  readonly overflowRows: number;
  private overflowed = false;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new Error(`IdTable capacity must be an integer ≥ 2, got ${capacity}`);
    this.overflowRows = Math.max(1, capacity >> 6);
  }

  /** Rows handed out one-to-one so far. */
  get size(): number {
    return this.ids.length;
  }

  /** True once some id had to share a hashed row. */
  get isFull(): boolean {
    return this.overflowed;
  }

  /** Rows that may hold trained values: the one-to-one rows, plus the overflow block once it is in use. */
  usedRows(): number[] {
    const out = Array.from({ length: this.ids.length }, (_, i) => i);
    if (this.overflowed) for (let r = this.capacity - this.overflowRows; r < this.capacity; r++) out.push(r);
    return out;
  }

  /** A uniformly drawn row among those in use (for negative sampling). */
  randomRow(rand: () => number): number {
    const extra = this.overflowed ? this.overflowRows : 0;
    const k = Math.floor(rand() * (this.ids.length + extra));
    return k < this.ids.length ? k : this.capacity - this.overflowRows + (k - this.ids.length);
  }

  /** Row of a known id (or its hashed row once the table is full); undefined for an id never seen. */
  lookup(id: string): number | undefined {
    const r = this.rows.get(id);
    if (r !== undefined) return r;
    return this.overflowed ? this.hashed(id) : undefined;
  }

  /** Row of an id, assigning one if it is new. */
  ensure(id: string): number {
    const r = this.rows.get(id);
    if (r !== undefined) return r;
    if (this.ids.length < this.capacity - this.overflowRows) {
      const row = this.ids.length;
      this.rows.set(id, row);
      this.ids.push(id);
      return row;
    }
    this.overflowed = true;
    return this.hashed(id);
  }

  private hashed(id: string): number {
    return this.capacity - this.overflowRows + (fnv1a(id) % this.overflowRows);
  }

  toJSON(): { ids: string[]; overflowed: boolean } {
    return { ids: [...this.ids], overflowed: this.overflowed };
  }

  static fromJSON(capacity: number, data: { ids: readonly string[]; overflowed: boolean }): IdTable {
    const t = new IdTable(capacity);
    if (data.ids.length > capacity - t.overflowRows) throw new Error('IdTable snapshot holds more ids than its capacity');
    for (const id of data.ids) t.ensure(id);
    t.overflowed = data.overflowed;
    return t;
  }
}
