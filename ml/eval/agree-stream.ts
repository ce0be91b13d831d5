/**
 * AGREE data → the interaction stream the learner ingests. User rows are solo interactions; group rows
 * are room-level interactions (`groupLevel`) carrying the group's members. A third column becomes a
 * weight in [0.5, 1.5] on a log scale (ratings 1-5 and play counts in the thousands both stay sane).
 */
import { Rng } from '../models/shared/rng.ts';
import type { Interaction } from '../types.ts';
import type { AgreeData, Rating } from './read-agree.ts';

export type StreamOrder = 'shuffle' | 'file';

/** A fixed, arbitrary context: the data sets have no time, so every event gets the same one. */
export const AGREE_CONTEXT = { hour: 12, weekday: 3 } as const;
const BASE_TIME = Date.UTC(2020, 0, 1);

function weigher(rows: readonly Rating[]): (r: Rating) => number | undefined {
  let max = 0;
  for (const r of rows) if (r.value !== undefined) max = Math.max(max, r.value);
  if (max <= 0) return () => undefined;
  const scale = Math.log1p(max);
  return (r) => (r.value === undefined ? undefined : 0.5 + Math.log1p(Math.max(0, r.value)) / scale);
}

export function agreeStream(d: AgreeData, order: StreamOrder, seed: number): Interaction[] {
  const out: Interaction[] = [];
  const wu = weigher(d.userTrain);
  const wg = weigher(d.groupTrain);
  d.userTrain.forEach((r, n) => {
    const x: Interaction = {
      id: `user-train-${n}`,
      userId: r.id,
      roomId: null,
      trackId: r.item,
      type: 'complete',
      context: { ...AGREE_CONTEXT },
      createdAt: 0,
    };
    const w = wu(r);
    if (w !== undefined) x.weight = w;
    out.push(x);
  });
  d.groupTrain.forEach((r, n) => {
    const x: Interaction = {
      id: `group-train-${n}`,
      // Group rows have no acting member; the id only needs to be distinct from real users.
      userId: `group:${r.id}`,
      roomId: r.id,
      trackId: r.item,
      type: 'complete',
      context: { ...AGREE_CONTEXT },
      createdAt: 0,
      members: d.members.get(r.id) ?? [],
      groupLevel: true,
    };
    const w = wg(r);
    if (w !== undefined) x.weight = w;
    out.push(x);
  });
  if (order === 'shuffle') {
    // Interleave users and groups like a live stream would; seeded Fisher–Yates.
    const rng = new Rng(seed);
    for (let i = out.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [out[i], out[j]] = [out[j] as Interaction, out[i] as Interaction];
    }
  }
  out.forEach((x, n) => (x.createdAt = BASE_TIME + n * 1000));
  return out;
}
