/**
 * What the bench reads from a running Chorus node besides its own probe: the learner's figures from
 * `GET /metrics` (Prometheus text, server/observability/metrics.ts), else from `GET /api/models`
 * (`status`: LearnerStatus), else RSS from /proc. Names are looked up exactly (then by pattern) and the
 * report says which were found, so a renamed metric shows up as "n/a" instead of a wrong figure.
 */
import { readFile } from 'node:fs/promises';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] ?? ''] = l[2] ?? '';
    const value = Number(m[4]);
    if (m[1] && Number.isFinite(value)) out.push({ name: m[1], labels, value });
  }
  return out;
}

export interface LearnerFigures {
  /** Interactions handed to the learner / learned so far (cumulative). */
  received?: number | undefined;
  learned?: number | undefined;
  /** received − learned now. */
  lag?: number | undefined;
  /** Age of the oldest unlearned interaction (ms). */
  lagMs?: number | undefined;
  rssBytes?: number | undefined;
  /** Which metric (or endpoint field) each figure came from. */
  sources: Record<string, string>;
}

type Pick = { names: string[]; pattern: RegExp; scale?: (name: string) => number };
const toMs = (name: string): number => (/_seconds$/.test(name) ? 1000 : 1);
const PICKS: Record<'received' | 'learned' | 'lag' | 'lagMs' | 'rssBytes', Pick> = {
  received: { names: ['chorus_learner_interactions_received_total'], pattern: /learner.*received|interactions.*received/ },
  learned: { names: ['chorus_learner_interactions_learned_total'], pattern: /learner.*learned|interactions.*learned/ },
  lag: { names: ['chorus_learner_lag_interactions'], pattern: /learner.*lag(?!.*(seconds|_ms))/ },
  lagMs: { names: ['chorus_learner_lag_seconds'], pattern: /learner.*lag.*(seconds|_ms)/, scale: toMs },
  rssBytes: { names: ['chorus_process_resident_memory_bytes', 'process_resident_memory_bytes'], pattern: /resident_memory_bytes/ },
};

/** Sum over label sets (a counter split by type still counts every interaction); skips histogram parts. */
function pick(samples: readonly Sample[], p: Pick): [string, number] | undefined {
  const usable = samples.filter((s) => !/_(bucket|sum|count)$/.test(s.name) && s.labels.quantile === undefined);
  const name = p.names.find((n) => usable.some((s) => s.name === n)) ?? usable.find((s) => p.pattern.test(s.name))?.name;
  if (!name) return undefined;
  const total = usable.filter((s) => s.name === name).reduce((a, s) => a + s.value, 0);
  return [name, total * (p.scale?.(name) ?? 1)];
}

async function fromMetrics(url: string): Promise<LearnerFigures | undefined> {
  const res = await fetch(`${url}/metrics`);
  if (!res.ok) return undefined;
  const samples = parsePrometheus(await res.text());
  if (samples.length === 0) return undefined;
  const out: LearnerFigures = { sources: {} };
  for (const [key, p] of Object.entries(PICKS) as [keyof typeof PICKS, Pick][]) {
    const hit = pick(samples, p);
    if (hit) {
      out[key] = hit[1];
      out.sources[key] = `/metrics ${hit[0]}`;
    }
  }
  return out;
}

/** GET /api/models: `{ status: LearnerStatus }` or LearnerStatus itself (server/learning/types.ts). */
async function fromModelsApi(url: string): Promise<LearnerFigures | undefined> {
  const res = await fetch(`${url}/api/models`);
  if (!res.ok) return undefined;
  const body = (await res.json()) as Record<string, unknown>;
  const s = (typeof body.status === 'object' && body.status !== null ? body.status : body) as Record<string, unknown>;
  const out: LearnerFigures = { sources: {} };
  for (const key of ['received', 'learned', 'lag', 'lagMs'] as const) {
    const v = s[key];
    if (typeof v === 'number') {
      out[key] = v;
      out.sources[key] = `/api/models ${key}`;
    }
  }
  return Object.keys(out.sources).length > 0 ? out : undefined;
}

async function rssFromProc(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : undefined;
}

export async function readLearner(url: string, pid: number): Promise<LearnerFigures> {
  const figures =
    (await fromMetrics(url).catch(() => undefined)) ?? (await fromModelsApi(url).catch(() => undefined)) ?? { sources: {} };
  if (figures.rssBytes === undefined) {
    figures.rssBytes = await rssFromProc(pid).catch(() => undefined);
    if (figures.rssBytes !== undefined) figures.sources.rssBytes = '/proc/<pid>/status VmRSS';
  }
  return figures;
}
