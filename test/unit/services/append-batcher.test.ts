import { describe, expect, it } from 'vitest';
import type { Interaction } from '../../../ml/types.ts';
import { AppendBatcher } from '../../../server/services/append-batcher.ts';

const rec = (id: string): Interaction => ({ id, userId: 'u', roomId: 'r', trackId: 't', type: 'like', context: { hour: 1, weekday: 1 }, createdAt: 1 });

describe('AppendBatcher (group commit)', () => {
  it('writes one turn’s records in one append, and what queued meanwhile in the next, each caller after its commit', async () => {
    const calls: string[][] = [];
    let release: () => void = () => undefined;
    const b = new AppendBatcher(async (records) => {
      calls.push(records.map((r) => r.id));
      if (calls.length === 1) await new Promise<void>((r) => (release = r));
    }, false);
    const done: string[] = [];
    const write = (id: string) => b.write([rec(id)]).then(() => done.push(id));
    const turn1 = [write('a'), write('b')];
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([['a', 'b']]);
    const turn2 = [write('c'), write('d')];
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([['a', 'b']]); // c and d wait behind the append in flight
    expect(done).toEqual([]); // nobody is acknowledged before their commit
    release();
    await Promise.all([...turn1, ...turn2]);
    expect(calls).toEqual([['a', 'b'], ['c', 'd']]);
    expect(done).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fails every caller of a failed batch and keeps serving later ones', async () => {
    let fail = true;
    const b = new AppendBatcher(async () => {
      await Promise.resolve();
      if (fail) throw new Error('db down');
    }, false);
    const r = await Promise.allSettled([b.write([rec('a')]), b.write([rec('b')])]);
    expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(b.write([rec('c')])).resolves.toBeUndefined();
  });

  it('waits for a busy database to go idle, so what arrives meanwhile joins the same statement', async () => {
    const calls: string[][] = [];
    let busy: (() => void) | undefined;
    let idle = new Promise<void>((r) => (busy = r));
    const b = new AppendBatcher(
      async (records) => {
        calls.push(records.map((r) => r.id));
      },
      false,
      () => idle,
    );
    const first = b.write([rec('a')]);
    await new Promise((r) => setImmediate(r));
    const second = b.write([rec('b')]); // arrives while the database is still busy
    expect(calls).toEqual([]);
    busy?.();
    await Promise.all([first, second]);
    expect(calls).toEqual([['a', 'b']]);
    // A database that stays busy delays a batch only briefly: it queues behind the busy call anyway.
    idle = new Promise<void>(() => undefined);
    await b.write([rec('c')]);
    expect(calls).toEqual([['a', 'b'], ['c']]);
  });
});
