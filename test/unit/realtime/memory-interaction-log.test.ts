import { describe, expect, it, vi } from 'vitest';
import type { Interaction } from '../../../ml/types.ts';
import { MemoryInteractionLog } from '../../../server/realtime/memory-interaction-log.ts';

const rec = (id: string): Interaction => ({
  id,
  userId: 'u',
  roomId: 'r',
  trackId: 't',
  type: 'like',
  context: { hour: 1, weekday: 2 },
  createdAt: 0,
});

describe('MemoryInteractionLog', () => {
  it('delivers batches asynchronously, in publish order, one at a time per subscriber', async () => {
    const log = new MemoryInteractionLog();
    const seen: string[] = [];
    let inFlight = 0;
    log.subscribe(async (batch) => {
      inFlight++;
      expect(inFlight).toBe(1);
      await new Promise((r) => setImmediate(r));
      seen.push(...batch.map((b) => b.id));
      inFlight--;
    });
    await log.publish([rec('a'), rec('b')]);
    expect(seen).toEqual([]); // accepted, not yet delivered
    await log.publish([rec('c')]);
    await log.drain();
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('a failing subscriber is logged, keeps receiving, and never fails the publisher', async () => {
    const error = vi.fn();
    const log = new MemoryInteractionLog({ error } as never);
    const good: string[] = [];
    let calls = 0;
    log.subscribe(() => {
      calls++;
      throw new Error('boom');
    });
    log.subscribe((batch) => void good.push(...batch.map((b) => b.id)));
    await expect(log.publish([rec('x')])).resolves.toBeUndefined();
    await log.publish([rec('y')]);
    await log.drain();
    expect(calls).toBe(2);
    expect(good).toEqual(['x', 'y']);
    expect(error).toHaveBeenCalledTimes(2);
  });

  it('unsubscribe stops delivery; close refuses further publishes', async () => {
    const log = new MemoryInteractionLog();
    const seen: string[] = [];
    const off = log.subscribe((b) => void seen.push(...b.map((r) => r.id)));
    await log.publish([rec('1')]);
    await log.drain();
    off();
    await log.publish([rec('2')]);
    await log.close();
    expect(seen).toEqual(['1']);
    await expect(log.publish([rec('3')])).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
