import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../../server/services/keyed-mutex.ts';
import { newRoomCode, CODE_ALPHABET } from '../../../server/services/room-codes.ts';

describe('KeyedMutex', () => {
  it('runs work for one key strictly in order, even when some of it fails', async () => {
    const m = new KeyedMutex();
    const log: string[] = [];
    const step = (name: string, fail = false) =>
      m.run('room', async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setImmediate(r));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([step('a'), step('b', true), step('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('different keys do not wait for each other; idle() waits for everything', async () => {
    const m = new KeyedMutex();
    let release!: () => void;
    const blocked = m.run('a', () => new Promise<void>((r) => (release = r)));
    await expect(m.run('b', async () => 'b')).resolves.toBe('b');
    const idle = m.idle();
    release();
    await blocked;
    await idle;
  });
});

describe('room codes', () => {
  it('are 6 characters without look-alikes', () => {
    for (let i = 0; i < 200; i++) {
      const code = newRoomCode();
      expect(code).toHaveLength(6);
      for (const ch of code) expect(CODE_ALPHABET).toContain(ch);
    }
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });
});
