import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { activeBackend, initBackend, parseBackendName } from '../../../ml/backend.ts';

const notFound = (name: string): Error => Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' });
const realImport = (name: string): Promise<unknown> => import(name);
const noEnv = {};

describe('initBackend fallback chain', () => {
  afterAll(async () => {
    await initBackend({ log: () => {}, env: noEnv });
  });

  it('skips missing native packages and picks wasm', async () => {
    const tried: string[] = [];
    const logs: string[] = [];
    const loader = async (name: string): Promise<unknown> => {
      tried.push(name);
      if (name.includes('tfjs-node')) throw notFound(name);
      return realImport(name);
    };
    const b = await initBackend({ loader, log: (m) => logs.push(m), env: noEnv });
    expect(b.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(tried).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm']);
    expect(logs.at(-1)).toMatch(/using the wasm backend/);
    expect(logs.some((l) => /tensorflow-gpu backend unavailable \(not installed\)/.test(l))).toBe(true);
    expect(activeBackend()?.name).toBe('wasm');
  });

  it('falls back to cpu when wasm fails too', async () => {
    const loader = async (name: string): Promise<unknown> => {
      if (name.includes('wasm')) throw new Error('wasm exploded');
      throw notFound(name);
    };
    const logs: string[] = [];
    const b = await initBackend({ loader, log: (m) => logs.push(m), env: noEnv });
    expect(b.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(logs.some((l) => l.includes('wasm backend unavailable (wasm exploded)'))).toBe(true);
    expect(activeBackend()?.name).toBe('cpu');
  });

  it('a native package that loads but fails to initialise is skipped', async () => {
    // Present-but-broken (e.g. no CUDA): the import "works" yet no 'tensorflow' backend is registered.
    const loader = async (name: string): Promise<unknown> => (name.includes('tfjs-node') ? {} : realImport(name));
    const b = await initBackend({ loader, log: () => {}, env: noEnv });
    expect(b.name).toBe('wasm');
  });

  it('CHORUS_TF_BACKEND forces a backend', async () => {
    const b = await initBackend({ log: () => {}, env: { CHORUS_TF_BACKEND: 'cpu' } });
    expect(b.name).toBe('cpu');
    const logs: string[] = [];
    const w = await initBackend({ log: (m) => logs.push(m), env: { CHORUS_TF_BACKEND: 'bogus' } });
    expect(w.name).toBe('wasm');
    expect(logs[0]).toMatch(/ignoring CHORUS_TF_BACKEND=bogus/);
  });

  it('the real environment picks wasm (native packages are not installable here)', async () => {
    const b = await initBackend({ log: () => {}, env: noEnv });
    expect(b.name).toBe('wasm');
    // The backend really computes.
    const y = tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])));
    expect(Array.from(y.dataSync())).toEqual([3, 3, 3, 3]);
    y.dispose();
  });

  it('parses names and aliases', () => {
    expect(parseBackendName('GPU')).toBe('tensorflow-gpu');
    expect(parseBackendName('tfjs-node')).toBe('tensorflow');
    expect(parseBackendName('wasm')).toBe('wasm');
    expect(parseBackendName('x')).toBeUndefined();
  });
});
