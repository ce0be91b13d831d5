import { decodeF32, decodeI32, encodeF32, encodeI32 } from './codec.ts';

/**
 * A sparse square matrix stored as one growable row per item: parallel Int32 column / Float32 value arrays
 * (fast to iterate when scoring) plus, per row, an open-addressing hash column → slot in typed arrays
 * (fast to update: the item model adds ~400 entries per interaction, and a Map per row made that the
 * bottleneck of its updates). Co-occurrence counts of a 17k-artist catalog would need 1.2 GB dense; this
 * holds only the pairs that co-occurred.
 */
interface Row {
  cols: Int32Array;
  vals: Float32Array;
  n: number;
  /**
   * Hash table, cell h at [2h, 2h+1] = (column + 1 or 0 when empty, its slot in cols/vals): one cache line
   * per probe. Capacity (cells) is a power of two, at most half full.
   */
  table: Int32Array;
}

// Rows start at 16 entries: most co-occurrence rows grow to hundreds, and each doubling rehashes.
const emptyRow = (): Row => ({
  cols: new Int32Array(16),
  vals: new Float32Array(16),
  n: 0,
  table: new Int32Array(64),
});

/** Index (2h) of column j's cell in r's table: its own, or the empty one where it belongs. */
function probe(r: Row, j: number): number {
  const t = r.table;
  const mask = (t.length >> 1) - 1;
  let h = Math.imul(j, 0x9e3779b1) >>> 0;
  for (;;) {
    h &= mask;
    const k = t[2 * h] as number;
    if (k === 0 || k === j + 1) return 2 * h;
    h++;
  }
}

function rehash(r: Row, cells: number): void {
  r.table = new Int32Array(cells * 2);
  for (let s = 0; s < r.n; s++) {
    const h = probe(r, r.cols[s] as number);
    r.table[h] = (r.cols[s] as number) + 1;
    r.table[h + 1] = s;
  }
}

export class SparseRows {
  private rows: Row[] = [];
  private nnz = 0;

  get size(): number {
    return this.rows.length;
  }

  get entries(): number {
    return this.nnz;
  }

  private row(i: number): Row {
    while (this.rows.length <= i) this.rows.push(emptyRow());
    return this.rows[i] as Row;
  }

  add(i: number, j: number, delta: number): void {
    const r = this.row(i);
    let h = probe(r, j);
    if (r.table[h] !== 0) {
      const s = r.table[h + 1] as number;
      r.vals[s] = (r.vals[s] as number) + delta;
      return;
    }
    if (r.n === r.cols.length) {
      const cols = new Int32Array(r.n * 2);
      cols.set(r.cols);
      const vals = new Float32Array(r.n * 2);
      vals.set(r.vals);
      r.cols = cols;
      r.vals = vals;
    }
    if ((r.n + 1) * 4 > r.table.length) {
      rehash(r, r.table.length);
      h = probe(r, j);
    }
    r.cols[r.n] = j;
    r.vals[r.n] = delta;
    r.table[h] = j + 1;
    r.table[h + 1] = r.n;
    r.n++;
    this.nnz++;
  }

  get(i: number, j: number): number {
    const r = this.rows[i];
    if (r === undefined) return 0;
    const h = probe(r, j);
    return r.table[h] === 0 ? 0 : (r.vals[r.table[h + 1] as number] as number);
  }

  /** Calls fn for every stored entry of row i (including explicit zeros). */
  forEach(i: number, fn: (j: number, v: number) => void): void {
    const r = this.rows[i];
    if (r === undefined) return;
    for (let s = 0; s < r.n; s++) fn(r.cols[s] ?? 0, r.vals[s] ?? 0);
  }

  /** Raw view of row i, for hot loops that cannot afford a callback. */
  rowView(i: number): { cols: Int32Array; vals: Float32Array; n: number } | undefined {
    return this.rows[i];
  }

  toJSON(): { cols: string[]; vals: string[] } {
    return {
      cols: this.rows.map((r) => encodeI32(r.cols.subarray(0, r.n))),
      vals: this.rows.map((r) => encodeF32(r.vals.subarray(0, r.n))),
    };
  }

  static from(data: { cols: string[]; vals: string[] }): SparseRows {
    const m = new SparseRows();
    data.cols.forEach((c, i) => {
      const cols = decodeI32(c);
      const vals = decodeF32(data.vals[i] ?? '');
      const cap = Math.max(4, cols.length);
      const r: Row = { ...emptyRow(), cols: new Int32Array(cap), vals: new Float32Array(cap), n: cols.length };
      r.cols.set(cols);
      r.vals.set(vals);
      let hcap = 8;
      while (hcap < cols.length * 2) hcap *= 2;
      rehash(r, hcap);
      m.rows.push(r);
      m.nnz += cols.length;
    });
    return m;
  }
}
