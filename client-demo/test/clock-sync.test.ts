import { describe, expect, it } from 'vitest';
import { ClockSync, bestSample, driftOf, toSample } from '../src/clock-sync.ts';

describe('clock sync', () => {
  it('computes NTP offset and round trip from one probe', () => {
    // Client is 1000 ms behind; 20 ms each way; server spends 2 ms.
    const s = toSample({ t0: 0, t1: 1020, t2: 1022 }, 42);
    expect(s.offset).toBe(1000);
    expect(s.rtt).toBe(40);
  });

  it('keeps the lowest round trip sample', () => {
    const best = bestSample([
      { at: 1, offset: 30, rtt: 90 },
      { at: 2, offset: 5, rtt: 8 },
      { at: 3, offset: 12, rtt: 20 },
    ]);
    expect(best?.offset).toBe(5);
  });

  it('estimates drift as the slope of offsets over time', () => {
    // +50 µs per second = 50 ppm.
    const history = [0, 30_000, 60_000, 90_000].map((at) => ({ at, offset: 100 + at * 50e-6, rtt: 5 }));
    expect(driftOf(history)! * 1e6).toBeCloseTo(50, 6);
    expect(driftOf(history.slice(0, 1))).toBeNull();
  });

  it('runs several probes per round and ignores lost ones', async () => {
    let n = 0;
    const offset = 5000;
    const sync = new ClockSync(
      async (t0) => {
        n++;
        if (n === 2) throw new Error('lost');
        const t1 = t0 + offset + (n === 3 ? 1 : 30);
        return { t0, t1, t2: t1 };
      },
      { probes: 4, gapMs: 1, intervalMs: 60_000 },
    );
    await sync.resync();
    sync.stop();
    expect(n).toBe(4);
    expect(sync.synced).toBe(true);
    expect(Math.abs(sync.status().offset - offset)).toBeLessThan(40);
    expect(Math.abs(sync.now() - (performance.timeOrigin + performance.now() + offset))).toBeLessThan(40);
  });
});
