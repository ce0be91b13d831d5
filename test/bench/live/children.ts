/**
 * Child processes of the bench: spawned with an IPC channel for probe.mjs, their output kept (last
 * lines only) for error reports, and all of them killed when the bench exits, however it exits.
 */
import { appendFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProbeReply, ProbeRequest } from './probe-types.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PROBE = new URL('./probe.mjs', import.meta.url).href;

const live = new Set<ChildProcess>();

/** Synchronous last resort (process 'exit'): SIGKILL whatever is still running. */
export function killAllNow(): void {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  live.clear();
}
process.on('exit', killAllNow);

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Last lines of stdout + stderr. */
  tail(): string[];
  /** Lines the process wrote in all (a quiet server writes none). */
  lines(): number;
  /** Resolves at the first line (from now on, or among the kept ones) matching `re`. */
  line(re: RegExp): Promise<string>;
  /** Waits up to 60 s: a server whose event loop is blocked answers late rather than never. */
  probe(reset: boolean): Promise<ProbeReply>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

/** `node --import tsx --import probe.mjs <entry>` with the given env, from `cwd` (the repository root). */
export function spawnTs(entry: string, env: NodeJS.ProcessEnv, name: string, cwd = REPO_ROOT): Child {
  const prof = process.env.BENCH_PROF && !process.env.BENCH_PROF_WINDOW ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : [];
  // BENCH_NODE_FLAGS="--trace-gc …": extra node flags for the measured servers (flags NODE_OPTIONS refuses).
  const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const proc = spawn(process.execPath, [...prof, ...extra, '--import', 'tsx', '--import', PROBE, entry], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  if (proc.pid === undefined) throw new Error(`could not start ${name}`);
  live.add(proc);
  const kept: string[] = [];
  let count = 0;
  const watchers = new Set<(line: string) => void>();
  // Per stream: a line may arrive split over two chunks.
  const keeper = (): ((chunk: Buffer) => void) => {
    let partial = '';
    return (chunk) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      keepLines(parts);
    };
  };
  // BENCH_SERVER_LOG=<file>: every line of every child, prefixed with its name (the kept tail is short).
  const logFile = process.env.BENCH_SERVER_LOG;
  const keepLines = (lines: readonly string[]): void => {
    for (const line of lines) {
      if (!line) continue;
      if (logFile) appendFileSync(logFile, `[${name}] ${line}\n`);
      count++;
      for (const w of watchers) w(line);
      kept.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
      if (kept.length > 40) kept.shift();
    }
  };
  proc.stdout?.on('data', keeper());
  proc.stderr?.on('data', keeper());
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => {
      live.delete(proc);
      resolve(code);
    });
  });

  let nextId = 1;
  const pending = new Map<number, (r: ProbeReply) => void>();
  proc.on('message', (m: ProbeReply) => {
    if (m && m.probe === 'stats') pending.get(m.id)?.(m);
    pending.delete(m.id);
  });

  return {
    proc,
    pid: proc.pid,
    tail: () => [...kept],
    lines: () => count,
    line(re) {
      const hit = kept.find((l) => re.test(l));
      if (hit !== undefined) return Promise.resolve(hit);
      return new Promise((resolve) => {
        const w = (l: string): void => {
          if (!re.test(l)) return;
          watchers.delete(w);
          resolve(l);
        };
        watchers.add(w);
      });
    },
    exited,
    probe(reset) {
      const id = nextId++;
      return new Promise<ProbeReply>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: probe did not answer`));
        }, 60_000);
        pending.set(id, (r) => {
          clearTimeout(timer);
          resolve(r);
        });
        const req: ProbeRequest = { probe: reset ? 'reset' : 'read', id };
        proc.send(req);
      });
    },
    async stop(graceMs = 15_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Poll `fn` until it returns a value; throws `what` after the deadline. Never a fixed sleep. */
export async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string, child?: Child): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.proc.exitCode !== null) {
      throw new Error(`${what}: the process exited (code ${child.proc.exitCode})\n${child.tail().join('\n')}`);
    }
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
