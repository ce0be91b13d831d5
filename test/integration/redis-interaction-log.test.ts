/**
 * What only the Redis interaction log promises: consumers of a group share the work, a dead consumer's
 * entries are reclaimed (XAUTOCLAIM) and applied exactly once by id, an id published twice is applied
 * once, a poison entry goes to the dead-letter stream after 5 deliveries, and nothing published while no
 * consumer runs is lost.
 */
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Interaction } from '../../ml/types.ts';
import { RedisInteractionLog, type RedisInteractionLogOptions } from '../../server/realtime/redis-interaction-log.ts';
import { dropKeysAndClose, interaction, openTestRedis, quietLog, uniqueName, until } from '../helpers/redis.ts';
import { requireService } from '../helpers/services.ts';

const redis = requireService('redis');

describe.skipIf(!redis.url)('RedisInteractionLog on Redis', () => {
  let client: Redis;
  let stream: string;
  const logs: RedisInteractionLog[] = [];

  const make = (extra: Partial<RedisInteractionLogOptions> = {}): RedisInteractionLog => {
    const log = new RedisInteractionLog({
      redis: client,
      log: quietLog,
      stream,
      blockMs: 100,
      claimIdleMs: 200,
      claimIntervalMs: 100,
      closeTimeoutMs: 200,
      ...extra,
    });
    logs.push(log);
    return log;
  };
  const many = (n: number, prefix = 'i'): Interaction[] => Array.from({ length: n }, (_, k) => interaction(`${prefix}${k}`));
  const tally = (applied: Map<string, number>, batch: readonly Interaction[]) => {
    for (const r of batch) applied.set(r.id, (applied.get(r.id) ?? 0) + 1);
  };

  beforeEach(async () => {
    client = await openTestRedis(redis.url ?? '');
    stream = uniqueName('interactions');
  });
  afterEach(async () => {
    await Promise.all(logs.splice(0).map((l) => l.close()));
    await dropKeysAndClose(client, stream);
  });

  it('two consumers of one group share the work and apply each interaction once', async () => {
    const applied = new Map<string, number>();
    const byConsumer = { a: 0, b: 0 };
    const slow = (who: 'a' | 'b') => async (batch: readonly Interaction[]) => {
      await new Promise((r) => setTimeout(r, 10));
      byConsumer[who] += batch.length;
      tally(applied, batch);
    };
    make({ batchSize: 5, consumer: 'a' }).subscribe(slow('a'));
    make({ batchSize: 5, consumer: 'b' }).subscribe(slow('b'));
    const publisher = make();
    for (let k = 0; k < 10; k++) await publisher.publish(many(10, `b${k}-`));
    await until(() => applied.size === 100, '100 applied interactions');
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    expect(byConsumer.a).toBeGreaterThan(0);
    expect(byConsumer.b).toBeGreaterThan(0);
    await until(async () => (await publisher.pending()) === 0, 'nothing pending');
  });

  it('a consumer killed mid-batch: another reclaims its entries and every interaction is applied exactly once', async () => {
    const applied = new Map<string, number>();
    const receivedByA: string[] = [];
    let callsA = 0;
    const a = make({ batchSize: 10, consumer: 'a' });
    a.subscribe(async (batch) => {
      receivedByA.push(...batch.map((r) => r.id));
      if (++callsA === 1) return tally(applied, batch);
      await new Promise(() => undefined); // the process "dies" while learning its second batch
    });
    await make().publish(many(30));
    await until(() => callsA === 2, 'consumer a stuck in its second batch');
    await a.close(); // gives up after closeTimeoutMs: no ack, like a crash

    const b = make({ batchSize: 10, consumer: 'b' });
    b.subscribe((batch) => tally(applied, batch));
    await until(() => applied.size === 30, 'all 30 applied');
    expect([...applied.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(receivedByA).toHaveLength(20); // its second batch was reclaimed, not lost
    await until(async () => (await b.pending()) === 0, 'nothing pending');
  });

  it('an interaction published twice (an outbox replay) is applied once', async () => {
    const applied = new Map<string, number>();
    const log = make();
    log.subscribe((batch) => tally(applied, batch));
    await log.publish([interaction('x'), interaction('y')]);
    await until(() => applied.size === 2, 'first delivery');
    await log.publish([interaction('x'), interaction('z'), interaction('z')]);
    await until(() => applied.has('z'), 'second delivery');
    await until(async () => (await log.pending()) === 0, 'all acked');
    expect(Object.fromEntries(applied)).toEqual({ x: 1, y: 1, z: 1 });
  });

  it('a poison entry is dead-lettered after 5 deliveries; its batch-mates are applied once', async () => {
    const applied = new Map<string, number>();
    let poisonCalls = 0;
    const poisonDeliveries: number[] = [];
    const log = make();
    log.subscribe((batch, meta) => {
      if (batch.some((r) => r.id === 'poison')) {
        poisonCalls++;
        poisonDeliveries.push(meta.deliveries);
        throw new Error('cannot learn this one');
      }
      tally(applied, batch);
    });
    await log.publish([interaction('good-1'), interaction('poison'), interaction('good-2')]);
    await until(async () => (await client.xlen(`${stream}:dead`)) === 1, 'a dead letter');
    await until(async () => (await log.pending()) === 0, 'nothing pending');

    expect(poisonCalls).toBe(5);
    expect(poisonDeliveries).toEqual([1, 2, 3, 4, 5]); // first in its batch, then alone
    expect(Object.fromEntries(applied)).toEqual({ 'good-1': 1, 'good-2': 1 });
    const [entry] = await client.xrange(`${stream}:dead`, '-', '+');
    const fields = Object.fromEntries(chunk(entry?.[1] ?? []));
    expect(fields).toMatchObject({ id: 'poison', error: 'cannot learn this one', deliveries: '5' });
    expect(JSON.parse(fields['json'] ?? '')).toEqual(interaction('poison'));
    expect(fields['streamId']).toMatch(/^\d+-\d+$/);
    expect((await log.info()).deadLetters).toBe(1);
  });

  it('an undecodable entry is dead-lettered at once without reaching the handler', async () => {
    const applied = new Map<string, number>();
    const log = make();
    log.subscribe((batch) => tally(applied, batch));
    await client.xadd(stream, '*', 'id', 'broken', 'json', '{not json');
    await log.publish([interaction('fine')]);
    await until(() => applied.has('fine'), 'the good entry');
    await until(async () => (await client.xlen(`${stream}:dead`)) === 1, 'a dead letter');
    expect(applied.has('broken')).toBe(false);
  });

  it('entries published while no consumer runs wait in the stream and show up as pending', async () => {
    const publisher = make();
    await publisher.publish(many(5));
    expect(await publisher.pending()).toBe(5);
    const applied = new Map<string, number>();
    const off = make().subscribe((batch) => tally(applied, batch));
    await until(() => applied.size === 5, 'backlog applied');
    await until(async () => (await publisher.pending()) === 0, 'backlog acked');
    const info = await publisher.info();
    expect(info.length).toBe(5);
    expect(info.groups).toEqual([expect.objectContaining({ name: 'chorus-learners', pending: 0, lag: 0 })]);
    off();
    await until(async () => (await publisher.info()).groups[0]?.consumers === 0, 'idle consumer left the group');
  });
});

function chunk(flat: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] ?? '', flat[i + 1] ?? '']);
  return out;
}
