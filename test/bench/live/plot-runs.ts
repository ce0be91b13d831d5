/**
 * Many `bench:live --json` runs on one page: each run's p99s against how busy the whole machine was over
 * its window (the clients share the server's cores, so the same load lands at different points), the
 * targets as dashed lines, the floor's runs beside Chorus's, each run's ratio to its own floor, and what
 * the clients see beside the server's own part of it. Runs at several loads (`--rooms`) make a load
 * sweep. Pure: the CLI (plot-main.ts) reads the files and writes the page.
 */
import { htmlPage, lineChart, type Series } from '../../../ml/eval/svg-plot.ts';
import { formatTable } from '../../../ml/eval/table.ts';
import { TARGETS } from './report.ts';

/** One target's figures in a run (Chorus or its floor), as the JSON has them. */
export interface RunPoint {
  label: string;
  busyPercent: number;
  recsPushP99: number;
  queueBroadcastP99: number;
  eventLoopP99: number;
  /** The server's own parts (null where the run predates them, and for the floor). */
  serverPushP99: number | null;
  serverQueueAddP99: number | null;
}

export interface Run {
  chorus: RunPoint;
  floor: RunPoint | null;
  /** The run's `--rooms` (null where the file does not say). */
  rooms: number | null;
}

type Json = Record<string, unknown>;
const obj = (x: unknown): Json | undefined => (typeof x === 'object' && x !== null ? (x as Json) : undefined);
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const p99 = (x: unknown): number | null => num(obj(x)?.p99);

function pointOf(label: string, t: Json | undefined): RunPoint | null {
  if (!t) return null;
  const busyPercent = num(obj(t.machineCpu)?.busyPercent);
  const recsPushP99 = p99(t.recsPushMs);
  const queueBroadcastP99 = p99(t.queueBroadcastMs);
  const eventLoopP99 = p99(t.eventLoopDelayMs);
  if (busyPercent === null || recsPushP99 === null || queueBroadcastP99 === null || eventLoopP99 === null) return null;
  return { label, busyPercent, recsPushP99, queueBroadcastP99, eventLoopP99, serverPushP99: p99(t.serverPushMs), serverQueueAddP99: p99(t.serverQueueAddMs) };
}

/**
 * A run from one JSON file: null when it is not a single-node run with the machine's CPU (older files
 * have no `machineCpu`; `--nodes 2` files measure a cluster, a different thing).
 */
export function runOf(label: string, json: unknown): Run | null {
  const j = obj(json);
  const args = obj(j?.args);
  if (!j || (args && args.nodes !== undefined && args.nodes !== 1)) return null;
  const chorus = pointOf(label, j);
  return chorus ? { chorus, floor: pointOf(label, obj(j.floor)), rooms: num(args?.rooms) } : null;
}

/** A measurement and its lighter shade (its floor, or its server part). */
const COLORS = { recs: '#1f77b4', recsLight: '#7fb2d9', queue: '#d62728', queueLight: '#eb9293', loop: '#2ca02c' } as const;

function target(name: string, y: number, color: string, [x0, x1]: readonly [number, number]): Series {
  return { name, style: 'dashed', color, points: [[x0, y], [x1, y]] };
}

/** The x axis in whole tens around every run's load. */
const tens = (xs: readonly number[]): [number, number] => [Math.floor(Math.min(...xs) / 10) * 10, Math.ceil(Math.max(...xs) / 10) * 10];

const dots = (name: string, color: string, points: [number, number][]): Series => ({ name, style: 'points', color, points });
const some = (s: Series): boolean => s.points.length > 0;

export function runsChart(runs: readonly Run[]): string {
  const chorus = runs.map((r) => r.chorus);
  const floors = runs.flatMap((r) => (r.floor ? [r.floor] : []));
  const xRange = tens([...chorus, ...floors].map((p) => p.busyPercent));
  const series: Series[] = [
    dots('recs push', COLORS.recs, chorus.map((p) => [p.busyPercent, p.recsPushP99])),
    target(`target ${TARGETS.recsPushP99Ms} ms`, TARGETS.recsPushP99Ms, COLORS.recs, xRange),
    dots('queue broadcast', COLORS.queue, chorus.map((p) => [p.busyPercent, p.queueBroadcastP99])),
    target(`target ${TARGETS.queueBroadcastP99Ms} ms`, TARGETS.queueBroadcastP99Ms, COLORS.queue, xRange),
    dots('event-loop delay', COLORS.loop, chorus.map((p) => [p.busyPercent, p.eventLoopP99])),
    target(`target ${TARGETS.eventLoopP99Ms} ms`, TARGETS.eventLoopP99Ms, COLORS.loop, xRange),
    dots('floor: recs push', COLORS.recsLight, floors.map((p) => [p.busyPercent, p.recsPushP99])),
    dots('floor: queue bcast', COLORS.queueLight, floors.map((p) => [p.busyPercent, p.queueBroadcastP99])),
  ].filter(some);
  return lineChart(series, { title: 'p99 against how busy the machine was', xLabel: 'machine CPU busy, all cores (%)', yLabel: 'p99 (ms)', width: 820, height: 380, legendWidth: 190, xRange });
}

export function serverPartChart(runs: readonly Run[]): string {
  const c = runs.map((r) => r.chorus);
  const pairs = (pick: (p: RunPoint) => number | null): [number, number][] =>
    c.flatMap((p) => {
      const y = pick(p);
      return y === null ? [] : [[p.busyPercent, y] as [number, number]];
    });
  const series: Series[] = [
    // Only runs that have the server's part, so each client dot has its server dot.
    dots('recs push (clients)', COLORS.recs, pairs((p) => (p.serverPushP99 === null ? null : p.recsPushP99))),
    dots('recs push (server)', COLORS.recsLight, pairs((p) => p.serverPushP99)),
    dots('queue bcast (clients)', COLORS.queue, pairs((p) => (p.serverQueueAddP99 === null ? null : p.queueBroadcastP99))),
    dots('queue:add (server)', COLORS.queueLight, pairs((p) => p.serverQueueAddP99)),
  ].filter(some);
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  return lineChart(series, { title: "What the clients see, and the server's own part", xLabel: 'machine CPU busy, all cores (%)', yLabel: 'p99 (ms)', width: 820, height: 380, legendWidth: 190, ...(xs.length > 0 && { xRange: tens(xs) }) });
}

/** Each run with a floor: Chorus's p99 ÷ its floor's, against how busy Chorus kept the machine. */
export function ratioChart(runs: readonly Run[]): string {
  const withFloor = runs.flatMap((r) => (r.floor ? [{ c: r.chorus, f: r.floor }] : []));
  const xs = withFloor.map(({ c }) => c.busyPercent);
  const xRange: [number, number] = xs.length > 0 ? tens(xs) : [0, 100];
  // A floor p99 of 0 (no samples) has no ratio: that run is left out rather than drawn at infinity.
  const ratios = (pick: (p: RunPoint) => number): [number, number][] =>
    withFloor.flatMap(({ c, f }) => (pick(f) > 0 ? [[c.busyPercent, pick(c) / pick(f)] as [number, number]] : []));
  const series: Series[] = [
    dots('recs push', COLORS.recs, ratios((p) => p.recsPushP99)),
    dots('queue broadcast', COLORS.queue, ratios((p) => p.queueBroadcastP99)),
    target(`target ${TARGETS.ratioToFloor}×`, TARGETS.ratioToFloor, '#555555', xRange),
  ];
  return lineChart(series, { title: "p99 ratio to the floor (Chorus ÷ floor, same run)", xLabel: 'machine CPU busy with Chorus, all cores (%)', yLabel: 'ratio (×)', width: 820, height: 340, legendWidth: 190, xRange });
}

const cell = (x: number | null, digits = 1): string => (x === null ? '—' : x.toFixed(digits));

export function runsTable(runs: readonly Run[]): string {
  const head = ['run', 'rooms', 'busy %', 'recs p99', '(server)', 'queue p99', '(server)', 'loop p99', 'floor busy %', 'floor recs', 'floor queue'];
  const rows = [...runs]
    .sort((a, b) => a.chorus.busyPercent - b.chorus.busyPercent)
    .map(({ chorus: p, floor: f, rooms }) => [
      p.label,
      cell(rooms, 0),
      cell(p.busyPercent, 0),
      cell(p.recsPushP99),
      cell(p.serverPushP99),
      cell(p.queueBroadcastP99),
      cell(p.serverQueueAddP99),
      cell(p.eventLoopP99),
      cell(f?.busyPercent ?? null, 0),
      cell(f?.recsPushP99 ?? null),
      cell(f?.queueBroadcastP99 ?? null),
    ]);
  return formatTable(head, rows);
}

/** Words wrapped at `width` columns (the summary is preformatted). */
function wrap(text: string, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

export function runsPage(runs: readonly Run[], note: string): string {
  const summary = `${runs.length} runs of npm run bench:live (ms; "(server)": the server's own part from /metrics).\n${wrap(note)}\n\n${runsTable(runs)}`;
  return htmlPage('bench:live runs against how busy the machine was', summary, [
    { heading: 'Chorus and the floor', body: runsChart(runs) },
    ...(runs.some((r) => r.floor) ? [{ heading: 'Ratio to the floor', body: ratioChart(runs) }] : []),
    { heading: "Clients and the server's part", body: serverPartChart(runs) },
  ]);
}
