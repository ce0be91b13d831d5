/**
 * The side-by-side table (Chorus | floor | ratio, or single node | two nodes | floor | ratios with
 * `--nodes 2`), target verdicts and the JSON file.
 */
import { cpus, loadavg } from 'node:os';
import type { LiveArgs } from './args.ts';
import type { MachineCpu } from './machine-cpu.ts';
import type { ServerPart } from './server-histogram.ts';
import type { Dist } from './stats.ts';

/** What the probe measured in one server process over the measured window. */
export interface ProcessFigures {
  name: string;
  role: 'node' | 'learner';
  eventLoopDelayMs: Dist;
  rssMaxBytes: number;
  cpuPercent: number;
}

export interface TargetResult {
  kind: 'chorus' | 'cluster' | 'floor';
  sockets: number;
  setupS: number;
  /** Ack of an interaction → its first recs:updated, per member (ms). */
  recsPushMs: Dist;
  /** member × measured interaction pairs with no push (before the drain deadline). */
  recsMissing: number;
  /** queue:add emit → queue:updated at each member (ms). */
  queueBroadcastMs: Dist;
  /** track:react emit → ack (no target: what a reacting member waits for; its learning is timed from the ack). */
  reactAckMs: Dist;
  queueMissing: number;
  /** Server event-loop delay over the measured window (ms, beyond the probe's 10 ms timer); the worse node's. */
  eventLoopDelayMs: Dist;
  /**
   * The server's own figure for the same path, from its /metrics histogram over the window: interaction
   * stored → push emitted (bucket-interpolated, as Prometheus's histogram_quantile). Null for the floor.
   */
  serverPushMs: ServerPart;
  /**
   * The server's own figures for the room edits: queue:add / track:react in the handler → acked (a room
   * edit acks after its broadcast has left), from chorus_socket_event_duration_seconds. Null for the floor.
   */
  serverQueueAddMs: ServerPart;
  serverReactMs: ServerPart;
  /** The whole machine (every core, every process: clients included) over the measured window. */
  machineCpu: MachineCpu;
  /** Peak RSS, summed over the target's processes (one for a single node). */
  rssMaxBytes: number;
  /** CPU time over the window, summed over the target's processes (% of one core). */
  cpuPercent: number;
  /** Per process (nodes, then the learner process of a cluster). */
  processes: ProcessFigures[];
  interactions: { sent: number; acked: number; stored: number | null; learned: number };
  learner: {
    lagMax: number | null;
    lagMsMax: number | null;
    /** Cluster: max interaction-stream entries not yet delivered to or acked by the learners' group. */
    streamBacklogMax: number | null;
    received: number | null; learned: number | null; sources: Record<string, string> };
  storedByType?: Record<string, number> | undefined;
  pushes: number;
  errors: Record<string, number>;
  disconnects: number;
  /** Lines the server processes wrote to stdout/stderr (LOG_LEVEL=warn: warnings and errors only). */
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
const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);

/** One row: how to read it from a result; `ratio` rows get the ratio columns; `chorusOnly` rows show — for the floor. */
interface RowDef {
  label: string;
  get: (r: TargetResult) => number | string | null;
  digits?: number;
  ratio?: boolean;
  chorusOnly?: boolean;
  /** Cluster-only detail (per process, stream backlog): shown only when some column has a value. */
  detail?: boolean;
}

/** "a / b / c" over processes (the per-process detail of a cluster; a single value for one process). */
const perProcess = (pick: (p: ProcessFigures) => number, digits: number, role?: ProcessFigures['role']) => (r: TargetResult): string | null => {
  const ps = r.processes.filter((p) => role === undefined || p.role === role);
  return ps.length > 1 ? ps.map((p) => `${f(pick(p), digits)}`).join(' / ') : null;
};

function rowDefs(): RowDef[] {
  const p = (label: string, pick: (r: TargetResult) => Dist): RowDef[] => [
    { label: `${label} p50`, get: (r) => pick(r).p50, ratio: true },
    { label: `${label} p95`, get: (r) => pick(r).p95, ratio: true },
    { label: `${label} p99`, get: (r) => pick(r).p99, ratio: true },
  ];
  return [
    ...p('recs push (ms)', (r) => r.recsPushMs),
    { label: 'recs push samples', get: (r) => r.recsPushMs.n, digits: 0 },
    { label: 'recs push missing', get: (r) => r.recsMissing, digits: 0 },
    { label: 'recs push, server part p50 (ms)', get: (r) => r.serverPushMs?.p50 ?? null, chorusOnly: true },
    { label: 'recs push, server part p99 (ms)', get: (r) => r.serverPushMs?.p99 ?? null, chorusOnly: true },
    ...p('queue broadcast (ms)', (r) => r.queueBroadcastMs),
    { label: 'queue broadcast samples', get: (r) => r.queueBroadcastMs.n, digits: 0 },
    { label: 'queue broadcast missing', get: (r) => r.queueMissing, digits: 0 },
    { label: 'queue:add, server part p50 (ms)', get: (r) => r.serverQueueAddMs?.p50 ?? null, chorusOnly: true },
    { label: 'queue:add, server part p99 (ms)', get: (r) => r.serverQueueAddMs?.p99 ?? null, chorusOnly: true },
    ...p('reaction ack (ms)', (r) => r.reactAckMs),
    { label: 'reaction ack, server part p50 (ms)', get: (r) => r.serverReactMs?.p50 ?? null, chorusOnly: true },
    { label: 'reaction ack, server part p99 (ms)', get: (r) => r.serverReactMs?.p99 ?? null, chorusOnly: true },
    ...p('event-loop delay (ms)', (r) => r.eventLoopDelayMs),
    { label: 'event-loop delay max (ms)', get: (r) => r.eventLoopDelayMs.max, ratio: true },
    { label: 'event-loop delay p99 per node (ms)', get: perProcess((x) => x.eventLoopDelayMs.p99, 2, 'node'), detail: true },
    { label: 'server RSS max (MB)', get: (r) => mb(r.rssMaxBytes), digits: 1, ratio: true },
    { label: 'RSS max per process (MB)', get: perProcess((x) => mb(x.rssMaxBytes), 0), detail: true },
    { label: 'server CPU (% of a core)', get: (r) => r.cpuPercent, digits: 0, ratio: true },
    { label: 'CPU per process (% of a core)', get: perProcess((x) => x.cpuPercent, 0), detail: true },
    { label: 'machine CPU busy, all cores (%)', get: (r) => r.machineCpu.busyPercent, digits: 0 },
    { label: 'machine CPU stolen by the host (%)', get: (r) => r.machineCpu.stealPercent, digits: 1 },
    { label: 'interactions sent', get: (r) => r.interactions.sent, digits: 0 },
    { label: 'interactions acked', get: (r) => r.interactions.acked, digits: 0 },
    { label: 'interactions stored', get: (r) => r.interactions.stored, digits: 0 },
    { label: 'interactions learned (seen in a push)', get: (r) => r.interactions.learned, digits: 0 },
    { label: 'learner lag max (interactions)', get: (r) => r.learner.lagMax, digits: 0, chorusOnly: true },
    { label: 'learner lag max (ms)', get: (r) => r.learner.lagMsMax, digits: 0, chorusOnly: true },
    { label: 'learner stream backlog max (entries)', get: (r) => r.learner.streamBacklogMax, digits: 0, chorusOnly: true, detail: true },
    { label: 'learner received (server counter)', get: (r) => r.learner.received, digits: 0, chorusOnly: true },
    { label: 'learner learned (server counter)', get: (r) => r.learner.learned, digits: 0, chorusOnly: true },
    { label: 'recs:updated received', get: (r) => r.pushes, digits: 0 },
    { label: 'failed acks', get: (r) => sum(r.errors), digits: 0 },
    { label: 'disconnects', get: (r) => r.disconnects, digits: 0 },
  ];
}

export interface Column {
  /** Header: "Chorus", or "single node" / "two nodes". */
  label: string;
  /** Short name in the ratio headers ("1n", "2n"). */
  short: string;
  result: TargetResult;
}

/**
 * metric | <each Chorus column> | floor | ratio to the floor per column [| last ÷ first when two].
 * With one Chorus column this is the table the bench always printed (Chorus | floor | ratio).
 */
export function table(cols: readonly Column[], fl: TargetResult | undefined): string {
  const head = ['metric', ...cols.map((c) => c.label), 'floor'];
  if (fl) head.push(...cols.map((c) => (cols.length === 1 ? 'ratio' : `${c.short} ÷ floor`)));
  const first = cols[0];
  const last = cols[cols.length - 1];
  const pair = cols.length > 1 && first && last;
  if (pair) head.push(`${last.short} ÷ ${first.short}`);
  const cell = (v: number | string | null, d: number): string => (typeof v === 'string' ? v : f(v, d));
  const body = rowDefs()
    .filter((def) => !def.detail || cols.some((c) => def.get(c.result) !== null))
    .map((def) => {
      const d = def.digits ?? 2;
      const vals = cols.map((c) => def.get(c.result));
      const flv = fl ? def.get(fl) : null;
      const row = [def.label, ...vals.map((v) => (v === null && def.detail ? '—' : cell(v, d))), fl && !def.chorusOnly && !def.detail ? cell(flv, d) : '—'];
      const r = (a: number | string | null, b: number | string | null): string => {
        const x = typeof a === 'number' && typeof b === 'number' ? ratio(a, b) : null;
        return x === null ? 'n/a' : `${f(x, 1)}×`;
      };
      if (fl) row.push(...vals.map((v) => (def.ratio ? r(v, flv) : '')));
      if (pair) row.push(def.ratio ? r(def.get(last.result), def.get(first.result)) : '');
      return row;
    });
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => `| ${r.map((x, i) => (i === 0 ? x.padEnd(w[i] ?? 0) : x.padStart(w[i] ?? 0))).join(' | ')} |`;
  const rule = `|${w.map((n, i) => (i === 0 ? `:${'-'.repeat(n + 1)}` : `${'-'.repeat(n + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...body.map(line)].join('\n');
}

/** The issue's targets at the default load (ms, and × the floor). */
export const TARGETS = { recsPushP99Ms: 50, queueBroadcastP99Ms: 15, eventLoopP99Ms: 20, ratioToFloor: 3 } as const;

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
    le('recs push p99', c.recsPushMs.n > 0 ? c.recsPushMs.p99 : null, TARGETS.recsPushP99Ms, ' ms'),
    le('queue broadcast p99', c.queueBroadcastMs.p99, TARGETS.queueBroadcastP99Ms, ' ms'),
    le(c.kind === 'cluster' ? 'event-loop delay p99 (worse node)' : 'event-loop delay p99', c.eventLoopDelayMs.p99, TARGETS.eventLoopP99Ms, ' ms'),
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
    out.push(le('recs push p99 ratio to floor', c.recsPushMs.n > 0 ? ratio(c.recsPushMs.p99, fl.recsPushMs.p99) : null, TARGETS.ratioToFloor, '×'));
    out.push(le('queue broadcast p99 ratio to floor', ratio(c.queueBroadcastMs.p99, fl.queueBroadcastMs.p99), TARGETS.ratioToFloor, '×'));
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
    reactAckMs: pct(r.reactAckMs),
    queueBroadcastMissing: r.queueMissing,
    eventLoopDelayMs: pct(r.eventLoopDelayMs),
    rssMaxBytes: r.rssMaxBytes,
    cpuPercent: r.cpuPercent,
    serverPushMs: r.serverPushMs,
    serverQueueAddMs: r.serverQueueAddMs,
    serverReactMs: r.serverReactMs,
    machineCpu: r.machineCpu,
    processes: r.processes.map((p) => ({ ...p, eventLoopDelayMs: pct(p.eventLoopDelayMs) })),
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

function ratios(c: TargetResult, fl: TargetResult | undefined) {
  return fl
    ? {
        recsPushP99: ratio(c.recsPushMs.p99, fl.recsPushMs.p99),
        queueBroadcastP99: ratio(c.queueBroadcastMs.p99, fl.queueBroadcastMs.p99),
        eventLoopDelayP99: ratio(c.eventLoopDelayMs.p99, fl.eventLoopDelayMs.p99),
      }
    : null;
}

/** A URL without its password (the JSON file may be shared). */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable)';
  }
}

export interface JsonParts {
  /** The single node: the top-level figures, as the bench always wrote them (absent with --skip-single). */
  single?: { result: TargetResult; verdicts: readonly Verdict[] } | undefined;
  /** `--nodes 2`: the `nodes2` section, with the same fields (ratio and targets included). */
  nodes2?: { result: TargetResult; verdicts: readonly Verdict[] } | undefined;
  floor?: TargetResult | undefined;
}

export function toJson(args: LiveArgs, parts: JsonParts): unknown {
  const { single, nodes2, floor } = parts;
  return {
    date: new Date().toISOString(),
    args: { ...args, pgUrl: redact(args.pgUrl), redisUrl: redact(args.redisUrl) },
    machine: { cpus: cpus().length, node: process.version, loadavg: loadavg() },
    ...(single ? figures(single.result) : {}),
    floor: floor ? figures(floor) : null,
    ratio: single ? ratios(single.result, floor) : null,
    targets: single?.verdicts ?? null,
    nodes2: nodes2
      ? {
          ...figures(nodes2.result),
          ratio: ratios(nodes2.result, floor),
          ratioToSingle: single
            ? {
                recsPushP99: ratio(nodes2.result.recsPushMs.p99, single.result.recsPushMs.p99),
                queueBroadcastP99: ratio(nodes2.result.queueBroadcastMs.p99, single.result.queueBroadcastMs.p99),
                eventLoopDelayP99: ratio(nodes2.result.eventLoopDelayMs.p99, single.result.eventLoopDelayMs.p99),
              }
            : null,
          targets: nodes2.verdicts,
        }
      : null,
  };
}
