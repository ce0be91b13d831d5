/**
 * `npm run bench:live [-- --rooms 100 --members 10 --rate 0.5 --duration 60 --json out.json]`
 *
 * Starts a Chorus node (a child process), drives rooms of socket.io clients from worker threads and
 * measures the live loop: interaction ack → recs:updated at every member, queue:add → queue:updated
 * at every member, the server's event-loop delay, RSS and learner lag, and whether every interaction
 * sent was stored and learned. Then the same load against the floor (a plain socket.io server), side
 * by side. Progress goes to stderr, the table to stdout. Exit code 0 even when targets are missed.
 */
import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { parseArgs, type LiveArgs } from './args.ts';
import { killAllNow } from './children.ts';
import { countStored } from './counts.ts';
import { launch, type Target, type TargetKind } from './launch-server.ts';
import type { ProbeReply } from './probe-types.ts';
import type { Counters, FromWorker, ToWorker, WorkerConfig, WorkerResults } from './protocol.ts';
import { table, toJson, verdicts, verdictText, type TargetResult } from './report.ts';
import { readLearner } from './server-metrics.ts';
import { distribution, wallNow } from './stats.ts';

const log = (msg: string): void => void process.stderr.write(`[bench:live] ${msg}\n`);

const workers = new Set<Worker>();
const targets = new Set<Target>();

async function shutdown(code: number): Promise<never> {
  await Promise.all([...workers].map((w) => w.terminate().catch(() => undefined)));
  await Promise.all([...targets].map(async (t) => (await t.stop().catch(() => undefined), await t.cleanup().catch(() => undefined))));
  killAllNow();
  process.exit(code);
}
let interruptedAt = 0;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    // Ctrl-C reaches this process twice (from the terminal and relayed by tsx): only a later one forces.
    if (interruptedAt > 0) {
      if (Date.now() - interruptedAt > 1000) process.exit(130);
      return;
    }
    interruptedAt = Date.now();
    log(`${sig}: stopping workers and servers`);
    void shutdown(130);
  });
}

/** tsx's loader is registered in this thread only: the worker registers it before loading its .ts entry. */
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./client-worker.ts', import.meta.url).href)}); })
  .catch((e) => { require('node:worker_threads').parentPort.postMessage({ type: 'error', message: String(e && e.stack || e) }); });`;

class WorkerHandle {
  readonly worker: Worker;
  counters: Counters = { sent: 0, acked: 0, ackFailed: 0, pushes: 0, queueAdds: 0, queueUpdates: 0 };
  private waiters = new Map<FromWorker['type'], (m: FromWorker) => void>();
  private failed: ((e: Error) => void)[] = [];

  constructor(config: WorkerConfig) {
    this.worker = new Worker(WORKER_BOOT, { eval: true, workerData: config });
    workers.add(this.worker);
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') this.counters = m.counters;
      if (m.type === 'error') return this.fail(new Error(`${config.label}: ${m.message}`));
      this.waiters.get(m.type)?.(m);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', () => workers.delete(this.worker));
  }

  private fail(e: Error): void {
    for (const f of this.failed) f(e);
  }

  next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.failed.push(reject);
      this.waiters.set(type, (m) => resolve(m as Extract<FromWorker, { type: T }>));
    });
  }

  send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  async close(): Promise<void> {
    const closed = this.next('closed');
    this.send({ type: 'close' });
    await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))]).catch(() => undefined);
    await this.worker.terminate();
  }
}

function total(parts: readonly Counters[]): Counters {
  const t: Counters = { sent: 0, acked: 0, ackFailed: 0, pushes: 0, queueAdds: 0, queueUpdates: 0 };
  for (const p of parts) for (const k of Object.keys(t) as (keyof Counters)[]) t[k] += p[k];
  return t;
}

async function runTarget(kind: TargetKind, args: LiveArgs): Promise<TargetResult> {
  log(`${kind}: starting the server`);
  const t0 = performance.now();
  const target = await launch(kind, { serverDir: args.serverDir });
  targets.add(target);
  const node = target.nodes[0];
  if (!node) throw new Error('no node');
  log(`${kind}: up at ${target.nodes.map((n) => n.url).join(', ')} (${((performance.now() - t0) / 1000).toFixed(1)} s); setting up ${args.rooms} rooms × ${args.members} members in ${args.workers} workers`);

  const shares: number[][] = Array.from({ length: args.workers }, () => []);
  for (let r = 0; r < args.rooms; r++) shares[r % args.workers]?.push(r);
  const hs = shares.map(
    (rooms, i) =>
      new WorkerHandle({ urls: target.nodes.map((n) => n.url), rooms, members: args.members, rate: args.rate, queueEveryS: args.queueEvery, label: `worker ${i}` }),
  );
  const setup0 = performance.now();
  const ready = await Promise.all(hs.map((h) => h.next('ready')));
  const setupS = (performance.now() - setup0) / 1000;
  const sockets = ready.reduce((s, r) => s + r.sockets, 0);
  log(`${kind}: ${sockets} sockets joined in ${setupS.toFixed(1)} s; ${args.warmup} s warm-up, then ${args.duration} s measured`);

  const start = wallNow() + 200;
  const measureFrom = start + args.warmup * 1000;
  const measureUntil = measureFrom + args.duration * 1000;
  const drainMs = args.drain * 1000;
  const resultsP = Promise.all(hs.map((h) => h.next('results')));
  for (const h of hs) h.send({ type: 'start', measureFrom, measureUntil, drainMs });

  // Server-side figures: probe window = the measured window; learner lag polled throughout.
  let probe: ProbeReply | undefined;
  let lagMax: number | null = null;
  let lagMsMax: number | null = null;
  const probeReset = setTimeout(() => void node.child.probe(true).catch(() => undefined), measureFrom - wallNow());
  const probeRead = new Promise<void>((resolve) =>
    setTimeout(() => node.child.probe(false).then((p) => void (probe = p), () => undefined).finally(resolve), measureUntil - wallNow()),
  );
  const pollLag = async (): Promise<void> => {
    if (kind !== 'chorus') return;
    const l = await readLearner(node.url, node.child.pid).catch(() => undefined);
    if (l?.lag !== undefined) lagMax = Math.max(lagMax ?? 0, l.lag);
    if (l?.lagMs !== undefined) lagMsMax = Math.max(lagMsMax ?? 0, l.lagMs);
  };
  const lagTimer = setInterval(() => void pollLag(), 2000);
  const progress = setInterval(() => {
    const c = total(hs.map((h) => h.counters));
    const now = wallNow();
    const phase = now < measureFrom ? 'warm-up' : now < measureUntil ? 'measuring' : 'draining';
    log(`${kind} ${phase} ${((now - start) / 1000).toFixed(0)} s: sent ${c.sent}, acked ${c.acked}, failed ${c.ackFailed}, awaiting ack ${c.sent - c.acked - c.ackFailed}, recs pushes ${c.pushes}, queue adds ${c.queueAdds}, queue updates ${c.queueUpdates}`);
  }, 5000);

  let results: WorkerResults[];
  try {
    results = (await resultsP).map((m) => m.results);
    await probeRead;
  } finally {
    clearInterval(progress);
    clearInterval(lagTimer);
    clearTimeout(probeReset);
  }
  await pollLag();
  const learner = kind === 'chorus' ? await readLearner(node.url, node.child.pid).catch(() => undefined) : undefined;
  await Promise.all(hs.map((h) => h.close()));

  const ids = results.flatMap((r) => r.ids);
  const c = total(results.map((r) => r.counters));
  const serverLogLines = node.child.lines();
  const tail = node.child.tail();
  const codes = await target.stop();
  if (codes.some((x) => x !== 0)) log(`${kind}: server exit codes ${codes.join(', ')}`);
  let stored: number | null = null;
  let storedByType: Record<string, number> | undefined;
  if (target.dataDir) {
    log(`${kind}: counting stored interactions`);
    const s = await countStored(target.dataDir, ids).catch((e: unknown) => (log(`could not read the database: ${String(e)}`), undefined));
    stored = s?.stored ?? null;
    storedByType = s?.byType;
  }
  await target.cleanup();
  targets.delete(target);
  if (serverLogLines > 0) log(`${kind}: the server wrote ${serverLogLines} log lines (warn+); last ones:\n${tail.slice(-5).join('\n')}`);

  const errors: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  return {
    kind,
    sockets,
    setupS,
    recsPushMs: distribution(results.map((r) => r.recsPushMs)),
    recsMissing: results.reduce((s, r) => s + r.recsMissing, 0),
    queueBroadcastMs: distribution(results.map((r) => r.queueBroadcastMs)),
    queueMissing: results.reduce((s, r) => s + r.queueMissing, 0),
    eventLoopDelayMs: probe?.eventLoopDelayMs ?? { p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN, n: 0 },
    rssMaxBytes: probe?.rssMaxBytes ?? learner?.rssBytes ?? NaN,
    cpuPercent: probe?.cpuPercent ?? NaN,
    interactions: { sent: c.sent, acked: ids.length, stored, learned: results.reduce((s, r) => s + r.learnedIds, 0) },
    learner: {
      lagMax,
      lagMsMax,
      received: learner?.received ?? null,
      learned: learner?.learned ?? null,
      sources: learner?.sources ?? {},
    },
    storedByType,
    pushes: c.pushes,
    errors,
    disconnects: results.reduce((s, r) => s + r.disconnects, 0),
    serverLogLines,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const chorus = await runTarget('chorus', args);
  const floor = args.skipFloor ? undefined : await runTarget('floor', args);
  const vs = verdicts(chorus, floor);
  process.stdout.write(
    `\nLive loop: ${args.rooms} rooms × ${args.members} members, ${args.rate} reactions/s each, queue:add every ${args.queueEvery} s per room, ${args.duration} s measured (${new Date().toISOString().slice(0, 10)})\n\n`,
  );
  process.stdout.write(`${table(chorus, floor)}\n\n${verdictText(vs)}\n`);
  if (chorus.recsPushMs.n === 0) process.stdout.write('\nNo recs:updated listed any interaction: is the learner pushing yet?\n');
  const errs = Object.entries(chorus.errors);
  if (errs.length > 0) process.stdout.write(`\nChorus failed acks by code: ${errs.map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  if (Object.keys(chorus.learner.sources).length > 0) {
    process.stdout.write(`Server figures from: ${Object.entries(chorus.learner.sources).map(([k, v]) => `${k} ← ${v}`).join('; ')}\n`);
  }
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify(toJson(args, chorus, floor, vs), null, 2)}\n`);
    log(`wrote ${args.json}`);
  }
  await shutdown(0);
}

main().catch(async (e: unknown) => {
  log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  await shutdown(1);
});
