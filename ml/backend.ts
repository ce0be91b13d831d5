/**
 * TensorFlow.js backend choice (ARCHITECTURE.md §4): tfjs-node-gpu → tfjs-node → wasm → cpu.
 *
 * The two native packages download libtensorflow at install time, so they are never dependencies: they are
 * loaded only if someone installed them next to Chorus (see docs/ml-backends.md). Every other module of ml/
 * imports `@tensorflow/tfjs`; tfjs-core keeps its engine on globalThis, so a backend registered by a native
 * package is the one those imports use.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export type TF = typeof tf;
export interface ActiveBackend {
  name: BackendName;
  tf: TF;
}

export interface InitBackendOptions {
  /** Backends to try, in order (default BACKEND_ORDER, or CHORUS_TF_BACKEND first when set). cpu is always the last resort. */
  prefer?: readonly string[];
  log?: (msg: string) => void;
  /** Module loader, injectable so tests can simulate missing packages. Default: dynamic import. */
  loader?: (name: string) => Promise<unknown>;
  /** Environment to read CHORUS_TF_BACKEND from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

const PACKAGE: Record<Exclude<BackendName, 'cpu'>, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
};
/** Name the backend registers itself under in tfjs (both native packages use 'tensorflow'). */
const TF_NAME: Record<BackendName, string> = {
  'tensorflow-gpu': 'tensorflow',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};
const ALIASES: Record<string, BackendName> = {
  gpu: 'tensorflow-gpu',
  'tfjs-node-gpu': 'tensorflow-gpu',
  node: 'tensorflow',
  native: 'tensorflow',
  'tfjs-node': 'tensorflow',
};

let active: ActiveBackend | undefined;

/** The backend chosen by the last initBackend(), if any. */
export function activeBackend(): ActiveBackend | undefined {
  return active;
}

export function parseBackendName(s: string): BackendName | undefined {
  const k = s.trim().toLowerCase();
  return (BACKEND_ORDER as readonly string[]).includes(k) ? (k as BackendName) : ALIASES[k];
}

// A variable specifier keeps TypeScript from resolving (and demanding types for) the optional packages.
const defaultLoader = (name: string): Promise<unknown> => import(name);

function isModuleNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** Directory (with trailing slash) of the wasm binaries, read from disk so no network fetch happens. */
export function wasmBinaryDir(): string {
  const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  return `${dirname(entry)}/`;
}

function order(opts: InitBackendOptions, log: (m: string) => void): BackendName[] {
  const env = opts.env ?? process.env;
  let wanted: string[] = opts.prefer ? [...opts.prefer] : [...BACKEND_ORDER];
  const forced = env['CHORUS_TF_BACKEND'];
  if (forced) {
    const name = parseBackendName(forced);
    if (name) wanted = [name];
    else log(`tfjs: ignoring CHORUS_TF_BACKEND=${forced} (expected one of ${BACKEND_ORDER.join(', ')})`);
  }
  const names: BackendName[] = [];
  for (const w of wanted) {
    const n = parseBackendName(w);
    if (n && !names.includes(n)) names.push(n);
  }
  // cpu ships inside @tensorflow/tfjs, so there is always something to run on.
  if (!names.includes('cpu')) names.push('cpu');
  return names;
}

async function tryBackend(name: BackendName, load: (n: string) => Promise<unknown>): Promise<void> {
  if (name !== 'cpu') {
    const mod = await load(PACKAGE[name]);
    if (name === 'wasm') {
      const setWasmPaths = (mod as { setWasmPaths?: (p: string) => void } | null)?.setWasmPaths;
      if (typeof setWasmPaths !== 'function') throw new Error('module has no setWasmPaths');
      setWasmPaths(wasmBinaryDir());
    }
  }
  // setBackend resolves false (or throws for an unregistered name) when initialisation fails.
  const ok = await tf.setBackend(TF_NAME[name]);
  if (!ok) throw new Error(`tf.setBackend('${TF_NAME[name]}') failed`);
  await tf.ready();
}

/**
 * Pick the fastest backend that loads, in order, log the winner and remember it for activeBackend().
 * Safe to call again (tests do, with other loaders); the engine simply switches backend.
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<ActiveBackend> {
  const log = opts.log ?? ((m: string) => console.error(m));
  const load = opts.loader ?? defaultLoader;
  for (const name of order(opts, log)) {
    try {
      await tryBackend(name, load);
      active = { name, tf };
      log(`tfjs: using the ${name} backend`);
      return active;
    } catch (e) {
      if (name === 'cpu') throw e;
      const why = isModuleNotFound(e) ? 'not installed' : e instanceof Error ? e.message : String(e);
      log(`tfjs: ${name} backend unavailable (${why})`);
    }
  }
  // order() always ends with cpu, which either returns or throws above.
  throw new Error('tfjs: no backend available');
}
