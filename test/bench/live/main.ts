/**
 * `npm run bench:live [-- --rooms 100 --members 10 --rate 0.5 --duration 60 --json out.json --nodes 2]`
 *
 * Starts a Chorus node (a child process), drives rooms of socket.io clients from worker threads and
 * measures the live loop: interaction ack → recs:updated at every member, queue:add → queue:updated
 * at every member, the server's event-loop delay, RSS and learner lag, and whether every interaction
 * sent was stored and learned. With `--nodes 2` the same load then runs against two nodes and a learner
 * process on Postgres + Redis (each room's members alternate between the nodes). Then the floor (a
 * plain socket.io server), side by side. Progress goes to stderr, the table to stdout. Exit code 0 even
 * when targets are missed.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parseArgs, type LiveArgs } from './args.ts';
import { killAllNow } from './children.ts';
import { abandonAll, launch, type TargetKind } from './launch-server.ts';
import { machineCpu, readCpuTimes, type CpuTimes } from './machine-cpu.ts';
import type { ProbeReply } from './probe-types.ts';
import type { Counters, FromWorker, ToWorker, WorkerConfig, WorkerResults } from './protocol.ts';
import { table, toJson, verdicts, verdictText, type Column, type ProcessFigures, type TargetResult } from './report.ts';
import { readHistograms, serverPart, type Histogram, type HistogramSpec } from './server-histogram.ts';
import { readLearner } from './server-metrics.ts';
import { distribution, EMPTY_DIST, wallNow, type Dist } from './stats.ts';

const log = (msg: string): void => void process.stderr.write(`[bench:live] ${msg}\n`);

const workers = new Set<Worker>();

/** Workers first (their sockets), then every target still open: children, data dirs, database, Redis keys. */
async function shutdown(code: number): Promise<never> {
  await Promise.all([...workers].map((w) => w.terminate().catch(() => undefined)));
  await abandonAll();
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
    log(`${sig}: stopping workers and servers, dropping what the bench created`);
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

/**
 * The server's own timings of the paths the clients measure (server/observability/metrics.ts, read by
 * server-histogram.ts): an interaction stored → its push emitted; a queue:add or track:react in its
 * handler → acked.
 */
const SERVER_PARTS = {
  push: { name: 'chorus_recs_push_latency_seconds' },
  queueAdd: { name: 'chorus_socket_event_duration_seconds', where: { event: 'queue:add', outcome: 'ok' } },
  react: { name: 'chorus_socket_event_duration_seconds', where: { event: 'track:react', outcome: 'ok' } },
} satisfies Record<string, HistogramSpec>;
type ServerHistograms = Partial<Record<keyof typeof SERVER_PARTS, Histogram>>;

const LABEL: Record<TargetKind, string> = { chorus: 'chorus', cluster: 'chorus×2', floor: 'floor' };

/** The node with the worse event-loop p99 (what the table shows for a cluster; every node is in `processes`). */
function worseNode(ps: readonly ProcessFigures[]): Dist {
  const nodes = ps.filter((p) => p.role === 'node' && p.eventLoopDelayMs.n > 0);
  return nodes.reduce<Dist | undefined>((w, p) => (w === undefined || p.eventLoopDelayMs.p99 > w.p99 ? p.eventLoopDelayMs : w), undefined) ?? EMPTY_DIST;
}

async function runTarget(kind: TargetKind, args: LiveArgs): Promise<TargetResult> {
  const name = LABEL[kind];
  log(`${name}: starting the server${kind === 'cluster' ? 's (2 nodes + 1 learner process)' : ''}`);
  const t0 = performance.now();
  const target = await launch(kind, { serverDir: args.serverDir, pgUrl: args.pgUrl, redisUrl: args.redisUrl, db: args.db });
  const node = target.nodes[0];
  if (!node) throw new Error('no node');
  // A cluster's learner logs a few lines at info while starting: count only what comes after.
  const linesAtStart = new Map(target.processes.map((p) => [p, p.child.lines()]));
  log(`${name}: up at ${target.nodes.map((n) => n.url).join(', ')} (${target.describe}; ${((performance.now() - t0) / 1000).toFixed(1)} s); setting up ${args.rooms} rooms × ${args.members} members in ${args.workers} workers`);

  const shares: number[][] = Array.from({ length: args.workers }, () => []);
  for (let r = 0; r < args.rooms; r++) shares[r % args.workers]?.push(r);
  const hs = shares.map(
    (rooms, i) =>
      new WorkerHandle({ urls: target.nodes.map((n) => n.url), rooms, roomCount: args.rooms, members: args.members, rate: args.rate, queueEveryS: args.queueEvery, tracks: args.tracks, label: `worker ${i}` }),
  );
  const setup0 = performance.now();
  const ready = await Promise.all(hs.map((h) => h.next('ready')));
  const setupS = (performance.now() - setup0) / 1000;
  const sockets = ready.reduce((s, r) => s + r.sockets, 0);
  log(`${name}: ${sockets} sockets joined in ${setupS.toFixed(1)} s; ${args.warmup} s warm-up, then ${args.duration} s measured`);

  const start = wallNow() + 200;
  const measureFrom = start + args.warmup * 1000;
  const measureUntil = measureFrom + args.duration * 1000;
  const drainMs = args.drain * 1000;
  const resultsP = Promise.all(hs.map((h) => h.next('results')));
  for (const h of hs) h.send({ type: 'start', measureFrom, measureUntil, drainMs });

  // Server-side figures: probe window = the measured window, in every process; learner lag polled throughout.
  const probes = new Map<string, ProbeReply>();
  let lagMax: number | null = null;
  let lagMsMax: number | null = null;
  let backlogMax: number | null = null;
  // The whole machine's CPU and the server's own timing histograms, read at both ends of the window.
  const urls = target.nodes.map((n) => n.url);
  const serverHistograms = (): Promise<ServerHistograms> =>
    kind === 'floor' ? Promise.resolve({}) : readHistograms(urls, SERVER_PARTS).catch(() => ({}));
  let cpuFrom: CpuTimes | null = null;
  let cpuTo: CpuTimes | null = null;
  let serverFrom: Promise<ServerHistograms> = Promise.resolve({});
  let serverTo: Promise<ServerHistograms> = Promise.resolve({});
  const probeReset = setTimeout(() => {
    cpuFrom = readCpuTimes();
    serverFrom = serverHistograms();
    void Promise.all(target.processes.map((p) => p.child.probe(true).catch(() => undefined)));
  }, measureFrom - wallNow());
  const probeRead = new Promise<void>((resolve) =>
    setTimeout(() => {
      cpuTo = readCpuTimes();
      serverTo = serverHistograms();
      void Promise.all(target.processes.map((p) => p.child.probe(false).then((r) => void probes.set(p.name, r), () => undefined))).finally(resolve);
    }, measureUntil - wallNow()),
  );
  // A cluster's node reports the learner process's status (published through Redis about once a second).
  const pollLag = async (): Promise<void> => {
    if (kind === 'floor') return;
    const l = await readLearner(node.url, node.child.pid).catch(() => undefined);
    if (l?.lag !== undefined) lagMax = Math.max(lagMax ?? 0, l.lag);
    if (l?.lagMs !== undefined) lagMsMax = Math.max(lagMsMax ?? 0, l.lagMs);
    const b = await target.streamBacklog?.().catch(() => null);
    if (typeof b === 'number') backlogMax = Math.max(backlogMax ?? 0, b);
  };
  const lagTimer = setInterval(() => void pollLag(), 2000);
  const progress = setInterval(() => {
    const c = total(hs.map((h) => h.counters));
    const now = wallNow();
    const phase = now < measureFrom ? 'warm-up' : now < measureUntil ? 'measuring' : 'draining';
    log(`${name} ${phase} ${((now - start) / 1000).toFixed(0)} s: sent ${c.sent}, acked ${c.acked}, failed ${c.ackFailed}, awaiting ack ${c.sent - c.acked - c.ackFailed}, recs pushes ${c.pushes}, queue adds ${c.queueAdds}, queue updates ${c.queueUpdates}`);
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
  const [hFrom, hTo] = [await serverFrom, await serverTo];
  const learner = kind !== 'floor' ? await readLearner(node.url, node.child.pid).catch(() => undefined) : undefined;
  await Promise.all(hs.map((h) => h.close()));

  const ids = results.flatMap((r) => r.ids);
  const c = total(results.map((r) => r.counters));
  const logLines = target.processes.map((p) => ({ name: p.name, n: p.child.lines() - (linesAtStart.get(p) ?? 0), tail: p.child.tail() }));
  const serverLogLines = logLines.reduce((s, l) => s + l.n, 0);
  const codes = await target.stop();
  if (codes.some((x) => x !== 0)) log(`${name}: server exit codes ${codes.join(', ')}`);
  let stored: number | null = null;
  let storedByType: Record<string, number> | undefined;
  if (target.countStored) {
    log(`${name}: counting stored interactions`);
    const s = await target.countStored(ids).catch((e: unknown) => (log(`could not read the database: ${String(e).slice(0, 300)}`), undefined));
    stored = s?.stored ?? null;
    storedByType = s?.byType;
  }
  await target.cleanup().catch((e: unknown) => log(`${name}: cleanup: ${String(e)}`));
  for (const l of logLines) {
    if (l.n > 0) log(`${name}: ${l.name} wrote ${l.n} log lines (warn+); last ones:\n${l.tail.slice(-Math.min(5, l.n)).join('\n')}`);
  }

  const processes: ProcessFigures[] = target.processes.map((p) => {
    const r = probes.get(p.name);
    return {
      name: p.name,
      role: p.role,
      eventLoopDelayMs: r?.eventLoopDelayMs ?? EMPTY_DIST,
      rssMaxBytes: r?.rssMaxBytes ?? NaN,
      cpuPercent: r?.cpuPercent ?? NaN,
    };
  });
  if (probes.size < target.processes.length) {
    log(`${name}: no probe answer from ${target.processes.filter((p) => !probes.has(p.name)).map((p) => p.name).join(', ')}`);
  }

  const errors: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  return {
    kind,
    sockets,
    setupS,
    recsPushMs: distribution(results.map((r) => r.recsPushMs)),
    recsMissing: results.reduce((s, r) => s + r.recsMissing, 0),
    queueBroadcastMs: distribution(results.map((r) => r.queueBroadcastMs)),
    reactAckMs: distribution(results.map((r) => r.reactAckMs)),
    queueMissing: results.reduce((s, r) => s + r.queueMissing, 0),
    eventLoopDelayMs: worseNode(processes),
    serverPushMs: serverPart(hFrom.push, hTo.push),
    serverQueueAddMs: serverPart(hFrom.queueAdd, hTo.queueAdd),
    serverReactMs: serverPart(hFrom.react, hTo.react),
    machineCpu: machineCpu(cpuFrom, cpuTo),
    rssMaxBytes: probes.size > 0 ? processes.reduce((s, p) => s + p.rssMaxBytes, 0) : (learner?.rssBytes ?? NaN),
    cpuPercent: probes.size > 0 ? processes.reduce((s, p) => s + p.cpuPercent, 0) : NaN,
    processes,
    interactions: { sent: c.sent, acked: ids.length, stored, learned: results.reduce((s, r) => s + r.learnedIds, 0) },
    learner: {
      lagMax,
      lagMsMax,
      streamBacklogMax: backlogMax,
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
  // --nodes 2 runs the single node first (unless --skip-single), then the cluster, then the floor: one
  // invocation, the same load, minutes apart on the same machine.
  const single = args.nodes === 1 || !args.skipSingle ? await runTarget('chorus', args) : undefined;
  const cluster = args.nodes === 2 ? await runTarget('cluster', args) : undefined;
  const floor = args.skipFloor ? undefined : await runTarget('floor', args);
  const cols: Column[] = [];
  if (single) cols.push({ label: cluster ? 'single node' : 'Chorus', short: '1n', result: single });
  if (cluster) cols.push({ label: 'two nodes', short: '2n', result: cluster });
  const vsSingle = single ? verdicts(single, floor) : undefined;
  const vsCluster = cluster ? verdicts(cluster, floor) : undefined;
  process.stdout.write(
    `\nLive loop: ${args.rooms} rooms × ${args.members} members, ${args.rate} reactions/s each, queue:add every ${args.queueEvery} s per room, ${args.tracks} tracks, ${args.duration} s measured (${new Date().toISOString().slice(0, 10)}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')})\n`,
  );
  if (cluster) {
    process.stdout.write(
      `two nodes: Postgres + Redis, one learner process, members of each room alternating between the nodes${single ? '; single node: PGlite, learner thread' : ''}\n`,
    );
  }
  process.stdout.write(`\n${table(cols, floor)}\n`);
  for (const [label, c, vs] of [
    ['Single node', single, vsSingle],
    ['Two nodes', cluster, vsCluster],
  ] as const) {
    if (!c || !vs) continue;
    process.stdout.write(`\n${cluster ? `${label}:\n` : ''}${verdictText(vs)}\n`);
    if (c.recsPushMs.n === 0) process.stdout.write('No recs:updated listed any interaction: is the learner pushing yet?\n');
    const errs = Object.entries(c.errors);
    if (errs.length > 0) process.stdout.write(`Failed acks by code: ${errs.map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  }
  const sources = (single ?? cluster)?.learner.sources ?? {};
  if (Object.keys(sources).length > 0) {
    process.stdout.write(`\nServer figures from: ${Object.entries(sources).map(([k, v]) => `${k} ← ${v}`).join('; ')}\n`);
  }
  if (args.json) {
    const json = toJson(args, {
      single: single && vsSingle ? { result: single, verdicts: vsSingle } : undefined,
      nodes2: cluster && vsCluster ? { result: cluster, verdicts: vsCluster } : undefined,
      floor,
    });
    writeFileSync(args.json, `${JSON.stringify(json, null, 2)}\n`);
    log(`wrote ${args.json}`);
  }
  await shutdown(0);
}

main().catch(async (e: unknown) => {
  log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  await shutdown(1);
});
