/**
 * `recompute --scores s.tsv [--data <dir>]`: recompute HR@5/10 and NDCG@5/10 from a scores file written
 * by `agree --scores-out`, independently of the run that wrote it. Each line: kind, row id, true item,
 * true item's score, then the negatives' scores in the negative file's order; a negative that is the true
 * item itself is written as -Infinity, so it can never rank above the true item. With --data the
 * negatives file is read too and such negatives are skipped by id (a cross-check of the marker).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { RankMetrics, rankAgainst } from './metrics.ts';
import type { MetricSummary } from './metrics.ts';
import { readAgree } from './read-agree.ts';
import { fmt, formatTable } from './table.ts';

export function recomputeScores(tsv: string, selfNegatives?: ReadonlyMap<string, ReadonlySet<number>>): Record<string, MetricSummary> {
  const acc = new Map<string, RankMetrics>();
  for (const line of tsv.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const f = line.split('\t');
    const kind = f[0] as string;
    const scores = f.slice(3).map(Number);
    const skip = selfNegatives?.get(`${kind}\t${f[1]}\t${f[2]}`);
    const rank = rankAgainst(scores[0] as number, scores.slice(1), (n) => skip?.has(n) === true);
    let m = acc.get(kind);
    if (m === undefined) acc.set(kind, (m = new RankMetrics()));
    m.add(rank);
  }
  return Object.fromEntries([...acc].map(([k, m]) => [k, m.summary()]));
}

/** kind\tid\titem → positions of the true item among its own negatives. */
export function selfNegativesOf(dir: string): Map<string, Set<number>> {
  const d = readAgree(dir);
  const out = new Map<string, Set<number>>();
  for (const [kind, rows] of [
    ['group', d.groupTest],
    ['user', d.userTest],
  ] as const) {
    for (const r of rows) {
      const pos = new Set<number>();
      r.negatives.forEach((n, i) => n === r.item && pos.add(i));
      if (pos.size > 0) out.set(`${kind}\t${r.id}\t${r.item}`, pos);
    }
  }
  return out;
}

export function recomputeCommand(flags: ReadonlyMap<string, string>): number {
  const file = flags.get('scores');
  if (file === undefined) throw new Error('recompute needs --scores <file.tsv>');
  const dir = flags.get('data');
  const res = recomputeScores(readFileSync(file, 'utf8'), dir === undefined ? undefined : selfNegativesOf(dir));
  const rows = Object.entries(res).map(([k, m]) => [k, String(m.n), fmt(m.hr5), fmt(m.hr10), fmt(m.ndcg5), fmt(m.ndcg10)]);
  process.stdout.write(`${formatTable(['rows', 'n', 'HR@5', 'HR@10', 'NDCG@5', 'NDCG@10'], rows)}\n`);
  const json = flags.get('json');
  if (json !== undefined) writeFileSync(json, `${JSON.stringify(res, null, 2)}\n`);
  return 0;
}
