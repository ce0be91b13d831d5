import { decodeF32, decodeI32, encodeF32, encodeI32 } from './codec.ts';

/**
 * A sparse square matrix stored as one growable row per item: parallel Int32 column / Float32 value arrays
 * (fast to iterate when scoring) plus a column → slot map per row (fast to update). Co-occurrence counts
 * of a 17k-artist catalog would need 1.2 GB dense; this holds only the pairs that co-occurred.
 */
interface Row {
  cols: Int32Array;
  vals: Float32Array;
  n: number;
  slot: Map<number, number>;
}

const emptyRow = (): Row => ({ cols: new Int32Array(4), vals: new Float32Array(4), n: 0, slot: new Map() });

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
    const s = r.slot.get(j);
    if (s !== undefined) {
      r.vals[s] = (r.vals[s] ?? 0) + delta;
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
    r.cols[r.n] = j;
    r.vals[r.n] = delta;
    r.slot.set(j, r.n);
    r.n++;
    this.nnz++;
  }

  get(i: number, j: number): number {
    const r = this.rows[i];
    if (r === undefined) return 0;
    const s = r.slot.get(j);
    return s === undefined ? 0 : (r.vals[s] ?? 0);
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
      const slot = new Map<number, number>();
      for (let s = 0; s < cols.length; s++) slot.set(cols[s] ?? 0, s);
      const cap = Math.max(4, cols.length);
      const r: Row = { cols: new Int32Array(cap), vals: new Float32Array(cap), n: cols.length, slot };
      r.cols.set(cols);
      r.vals.set(vals);
      m.rows.push(r);
      m.nnz += cols.length;
    });
    return m;
  }
}
