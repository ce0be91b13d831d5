/**
 * The symmetric off-diagonal item-item co-occurrence matrix of the item model. Small catalogs (up to
 * `denseMax` items; Mafengwo has 1.5k) use a dense Float32 matrix: a lookup is one array read, which makes
 * scoring ~10× faster than hashing. Past `denseMax` it switches, once, to sparse rows (a 17k-artist catalog
 * would need 1.2 GB dense but has only a few million co-occurring pairs).
 */
import { decodeF32, encodeF32 } from './codec.ts';
import { SparseRows } from './sparse-rows.ts';

export interface CoMatrixJSON {
  n: number;
  dense: string | null;
  sparse: ReturnType<SparseRows['toJSON']> | null;
}

export class CoMatrix {
  private cap = 0;
  private n = 0;
  private dense: Float32Array | null = new Float32Array(0);
  private sparse: SparseRows | null = null;

  constructor(readonly denseMax = 4096) {}

  get isDense(): boolean {
    return this.dense !== null;
  }

  /** Make room for items 0..n-1. */
  grow(n: number): void {
    if (n <= this.n) return;
    this.n = n;
    if (this.dense === null) return;
    if (n > this.denseMax) {
      this.toSparse();
      return;
    }
    if (n <= this.cap) return;
    const cap = Math.min(this.denseMax, Math.max(n, this.cap * 2, 64));
    const next = new Float32Array(cap * cap);
    for (let i = 0; i < this.cap; i++) next.set(this.dense.subarray(i * this.cap, (i + 1) * this.cap), i * cap);
    this.dense = next;
    this.cap = cap;
  }

  private toSparse(): void {
    const s = new SparseRows();
    const d = this.dense as Float32Array;
    for (let i = 0; i < this.cap; i++) {
      for (let j = 0; j < this.cap; j++) {
        const v = d[i * this.cap + j] as number;
        if (v !== 0) s.add(i, j, v);
      }
    }
    this.sparse = s;
    this.dense = null;
    this.cap = 0;
  }

  /** Add v to (i, j) and (j, i). */
  addSym(i: number, j: number, v: number): void {
    const d = this.dense;
    if (d !== null) {
      const c = this.cap;
      d[i * c + j] = (d[i * c + j] as number) + v;
      d[j * c + i] = (d[j * c + i] as number) + v;
    } else {
      const s = this.sparse as SparseRows;
      s.add(i, j, v);
      s.add(j, i, v);
    }
  }

  get(i: number, j: number): number {
    const d = this.dense;
    return d !== null ? (d[i * this.cap + j] as number) : (this.sparse as SparseRows).get(i, j);
  }

  /** Dense row view (length ≥ n) when dense, else null. */
  denseRow(i: number): Float32Array | null {
    const d = this.dense;
    return d === null ? null : d.subarray(i * this.cap, i * this.cap + this.n);
  }

  /** Stored entries of row i when sparse. */
  sparseRow(i: number): { cols: Int32Array; vals: Float32Array; n: number } | undefined {
    return this.sparse?.rowView(i);
  }

  /** Stored entries of row i (dense: its nonzeros) — for the EASE refresh. */
  forEachInRow(i: number, fn: (j: number, v: number) => void): void {
    const row = this.denseRow(i);
    if (row !== null) {
      for (let j = 0; j < this.n; j++) if (row[j] !== 0) fn(j, row[j] as number);
      return;
    }
    this.sparse?.forEach(i, fn);
  }

  toJSON(): CoMatrixJSON {
    if (this.dense !== null) {
      const packed = new Float32Array(this.n * this.n);
      for (let i = 0; i < this.n; i++) packed.set(this.dense.subarray(i * this.cap, i * this.cap + this.n), i * this.n);
      return { n: this.n, dense: encodeF32(packed), sparse: null };
    }
    return { n: this.n, dense: null, sparse: (this.sparse as SparseRows).toJSON() };
  }

  static from(d: CoMatrixJSON, denseMax: number): CoMatrix {
    const m = new CoMatrix(denseMax);
    if (d.dense !== null) {
      m.grow(d.n);
      const packed = decodeF32(d.dense);
      for (let i = 0; i < d.n; i++) (m.dense as Float32Array).set(packed.subarray(i * d.n, (i + 1) * d.n), i * m.cap);
    } else {
      m.dense = null;
      m.sparse = SparseRows.from(d.sparse ?? { cols: [], vals: [] });
      m.n = d.n;
    }
    return m;
  }
}
