/**
 * NeuMF's snapshot format (ModelSnapshot.data, version 1): config, id maps, and weights as base64 float32.
 * Only the embedding rows in use are stored, so a young model snapshots small however large its capacity.
 */
import type { ModelSnapshot } from '../types.ts';
import { decodeF32 as b64ToF32, decodeI32 as b64ToI32, encodeF32 as f32ToB64, encodeI32 as i32ToB64 } from './shared/codec.ts';
import type { NeuMFConfig } from './neumf-options.ts';

export const NEUMF_SNAPSHOT_VERSION = 1;

export interface NeuMFSnapshotData {
  config: NeuMFConfig;
  entities: { ids: string[]; overflowed: boolean };
  items: { ids: string[]; overflowed: boolean };
  /** interactions seen per entity row (int32, base64) */
  entityCount: string;
  /** used rows (int32) and their values (float32) of each table: entityGmf, itemGmf, entityMlp, itemMlp */
  tables: { rows: string; values: string }[];
  /** dense weights in the head's variable order */
  head: { name: string; shape: number[]; values: string }[];
  steps: number;
}

export function checkSnapshot(s: ModelSnapshot): NeuMFSnapshotData {
  if (s.header.model !== 'neumf') throw new Error(`not a NeuMF snapshot (model=${s.header.model})`);
  if (s.header.version !== NEUMF_SNAPSHOT_VERSION) throw new Error(`unsupported NeuMF snapshot version ${s.header.version}`);
  const d = s.data as Partial<NeuMFSnapshotData> | null;
  const complete =
    d && d.config && d.entities && d.items && Array.isArray(d.tables) && Array.isArray(d.head) && typeof d.entityCount === 'string';
  if (!complete) {
    throw new Error('NeuMF snapshot data is incomplete');
  }
  return d as NeuMFSnapshotData;
}

/** The given rows of a rows × dim table, packed. */
export function encodeRows(table: Float32Array, dim: number, rows: readonly number[]): { rows: string; values: string } {
  const values = new Float32Array(rows.length * dim);
  rows.forEach((r, j) => values.set(table.subarray(r * dim, (r + 1) * dim), j * dim));
  return { rows: i32ToB64(Int32Array.from(rows)), values: f32ToB64(values) };
}

export function decodeRowsInto(table: Float32Array, dim: number, enc: { rows: string; values: string }): void {
  const rows = b64ToI32(enc.rows);
  const values = b64ToF32(enc.values);
  if (values.length !== rows.length * dim) throw new Error('NeuMF snapshot table has the wrong width');
  rows.forEach((r, j) => {
    if (r < 0 || (r + 1) * dim > table.length) throw new Error(`NeuMF snapshot row ${r} is out of range`);
    table.set(values.subarray(j * dim, (j + 1) * dim), r * dim);
  });
}
