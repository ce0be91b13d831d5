/** The side-by-side table (Chorus | floor | ratio), target verdicts and the JSON file. */
import { cpus, loadavg } from 'node:os';
import type { LiveArgs } from './args.ts';
import type { Dist } from './stats.ts';

export interface TargetResult {
  kind: 'chorus' | 'floor';
  sockets: number;
  setupS: number;
  /** Ack of an interaction → its first recs:updated, per member (ms). */
  recsPushMs: Dist;
  /** member × measured interaction pairs with no push (before the drain deadline). */
  recsMissing: number;
  /** queue:add emit → queue:updated at each member (ms). */
  queueBroadcastMs: Dist;
  queueMissing: number;
  /** Server event-loop delay over the measured window (ms, beyond the probe's 10 ms timer). */
  eventLoopDelayMs: Dist;
  rssMaxBytes: number;
  cpuPercent: number;
  interactions: { sent: number; acked: number; stored: number | null; learned: number };
  learner: { lagMax: number | null; lagMsMax: number | null; received: number | null; learned: number | null; sources: Record<string, string> };
  storedByType?: Record<string, number> | undefined;
  pushes: number;
  errors: Record<string, number>;
  disconnects: number;
  /** Lines the server wrote to stdout/stderr (LOG_LEVEL=warn: warnings and errors only). */
  serverLogLines: number;
}

export interface Verdict {
  name: string;
  value: string;
  target: string;
  pass: boolean | null;
}

const f = (x: number | null | undefined, d = 2): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a !== null && a !== undefined && b !== null && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : null;
const mb = (b: number): number => b / 1024 / 1024;

type Row = [label: string, chorus: number | null, floor: number | null, digits?: number, showRatio?: boolean];

function rows(c: TargetResult, fl: TargetResult | undefined): Row[] {
  const p = (label: string, pick: (r: TargetResult) => Dist): Row[] => [
    [`${label} p50`, pick(c).p50, fl ? pick(fl).p50 : null, 2, true],
    [`${label} p95`, pick(c).p95, fl ? pick(fl).p95 : null, 2, true],
    [`${label} p99`, pick(c).p99, fl ? pick(fl).p99 : null, 2, true],
  ];
  return [
    ...p('recs push (ms)', (r) => r.recsPushMs),
    ['recs push samples', c.recsPushMs.n, fl?.recsPushMs.n ?? null, 0],
    ['recs push missing', c.recsMissing, fl?.recsMissing ?? null, 0],
    ...p('queue broadcast (ms)', (r) => r.queueBroadcastMs),
    ['queue broadcast samples', c.queueBroadcastMs.n, fl?.queueBroadcastMs.n ?? null, 0],
    ['queue broadcast missing', c.queueMissing, fl?.queueMissing ?? null, 0],
    ...p('event-loop delay (ms)', (r) => r.eventLoopDelayMs),
    ['event-loop delay max (ms)', c.eventLoopDelayMs.max, fl?.eventLoopDelayMs.max ?? null, 2, true],
    ['server RSS max (MB)', mb(c.rssMaxBytes), fl ? mb(fl.rssMaxBytes) : null, 1, true],
    ['server CPU (% of a core)', c.cpuPercent, fl?.cpuPercent ?? null, 0, true],
    ['interactions sent', c.interactions.sent, fl?.interactions.sent ?? null, 0],
    ['interactions acked', c.interactions.acked, fl?.interactions.acked ?? null, 0],
    ['interactions stored', c.interactions.stored, fl?.interactions.stored ?? null, 0],
    ['interactions learned (seen in a push)', c.interactions.learned, fl?.interactions.learned ?? null, 0],
    ['learner lag max (interactions)', c.learner.lagMax, null, 0],
    ['learner lag max (ms)', c.learner.lagMsMax, null, 0],
    ['learner received (server counter)', c.learner.received, null, 0],
    ['learner learned (server counter)', c.learner.learned, null, 0],
    ['recs:updated received', c.pushes, fl?.pushes ?? null, 0],
    ['failed acks', sum(c.errors), fl ? sum(fl.errors) : null, 0],
    ['disconnects', c.disconnects, fl?.disconnects ?? null, 0],
  ];
}

const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);

export function table(c: TargetResult, fl: TargetResult | undefined): string {
  const body = rows(c, fl).map(([label, a, b, d = 2, r]) => [label, f(a, d), fl ? f(b, d) : '—', r && fl ? (ratio(a, b) === null ? 'n/a' : `${f(ratio(a, b), 1)}×`) : '']);
  const head = ['metric', 'Chorus', 'floor', 'ratio'];
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => `| ${r.map((x, i) => (i === 0 ? x.padEnd(w[i] ?? 0) : x.padStart(w[i] ?? 0))).join(' | ')} |`;
  const rule = `|${w.map((n, i) => (i === 0 ? `:${'-'.repeat(n + 1)}` : `${'-'.repeat(n + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...body.map(line)].join('\n');
}

export function verdicts(c: TargetResult, fl: TargetResult | undefined): Verdict[] {
  const le = (name: string, v: number | null, max: number, unit: string): Verdict => ({
    name,
    value: v === null || !Number.isFinite(v) ? 'n/a' : `${f(v)}${unit}`,
    target: `≤ ${max}${unit}`,
    pass: v === null || !Number.isFinite(v) ? null : v <= max,
  });
  const i = c.interactions;
  const lost = i.sent - Math.min(i.acked, i.stored ?? i.acked, i.learned);
  const out: Verdict[] = [
    le('recs push p99', c.recsPushMs.n > 0 ? c.recsPushMs.p99 : null, 50, ' ms'),
    le('queue broadcast p99', c.queueBroadcastMs.p99, 15, ' ms'),
    le('event-loop delay p99', c.eventLoopDelayMs.p99, 20, ' ms'),
    {
      name: 'lost interactions (sent − min(acked, stored, learned))',
      value: `${lost}`,
      target: '0',
      pass: lost === 0,
    },
    {
      name: 'recs pushes missing (member × interaction)',
      value: `${c.recsMissing} of ${c.recsMissing + c.recsPushMs.n}`,
      target: '0',
      pass: c.recsMissing === 0,
    },
  ];
  if (fl) {
    out.push(le('recs push p99 ratio to floor', c.recsPushMs.n > 0 ? ratio(c.recsPushMs.p99, fl.recsPushMs.p99) : null, 3, '×'));
    out.push(le('queue broadcast p99 ratio to floor', ratio(c.queueBroadcastMs.p99, fl.queueBroadcastMs.p99), 3, '×'));
  }
  return out;
}

export function verdictText(vs: readonly Verdict[]): string {
  return vs
    .map((v) => `${v.pass === null ? 'N/A ' : v.pass ? 'PASS' : 'FAIL'}  ${v.name}: ${v.value} (target ${v.target})`)
    .join('\n');
}

const pct = (d: Dist) => ({ p50: d.p50, p95: d.p95, p99: d.p99, max: d.max, mean: d.mean, n: d.n });

function figures(r: TargetResult) {
  return {
    recsPushMs: pct(r.recsPushMs),
    recsPushMissing: r.recsMissing,
    queueBroadcastMs: pct(r.queueBroadcastMs),
    queueBroadcastMissing: r.queueMissing,
    eventLoopDelayMs: pct(r.eventLoopDelayMs),
    rssMaxBytes: r.rssMaxBytes,
    cpuPercent: r.cpuPercent,
    interactions: r.interactions,
    learner: r.learner,
    storedByType: r.storedByType,
    pushes: r.pushes,
    errors: r.errors,
    disconnects: r.disconnects,
    sockets: r.sockets,
    setupS: r.setupS,
    serverLogLines: r.serverLogLines,
  };
}

export function toJson(args: LiveArgs, c: TargetResult, fl: TargetResult | undefined, vs: readonly Verdict[]): unknown {
  return {
    date: new Date().toISOString(),
    args: { ...args },
    machine: { cpus: cpus().length, node: process.version, loadavg: loadavg() },
    ...figures(c),
    floor: fl ? figures(fl) : null,
    ratio: fl
      ? {
          recsPushP99: ratio(c.recsPushMs.p99, fl.recsPushMs.p99),
          queueBroadcastP99: ratio(c.queueBroadcastMs.p99, fl.queueBroadcastMs.p99),
          eventLoopDelayP99: ratio(c.eventLoopDelayMs.p99, fl.eventLoopDelayMs.p99),
        }
      : null,
    targets: vs,
  };
}
