/**
 * Scale-out: two learner processes share one consumer group; one is SIGKILLed while it holds delivered,
 * unacknowledged entries. The survivor takes them over (XAUTOCLAIM after CHORUS_STREAM_CLAIM_IDLE_MS)
 * and every interaction is learned exactly once overall.
 *
 * "Learned exactly once" from what the processes expose: a learner acks an entry (XACK, in one MULTI
 * with its applied-id mark) only after its models learned it. The test watches Redis MONITOR on a
 * private redis-server (nothing else talks to it), attributes each XACK to the learner whose connection
 * sent it (that connection also sends XAUTOCLAIM naming its consumer), and asserts: every entry is acked
 * exactly once by the group; the victim's pending entries at its death (asserted > 0) are acked by the
 * survivor; the survivor's own status (published on its own channel) counts as learned exactly what it
 * acked, with no duplicate; XPENDING is empty and nothing was dead-lettered at the end.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Interaction } from '../../ml/types.ts';
import { closeRedis } from '../../server/realtime/redis-connection.ts';
import { encodeInteraction } from '../../server/realtime/redis-stream-codec.ts';
import {
  createClusterEnv,
  privateRedisAvailable,
  startPrivateRedis,
  type Child,
  type ClusterEnv,
  type PrivateRedis,
} from '../helpers/cluster.ts';
import { openTestRedis } from '../helpers/redis.ts';
import { TEST_TRACKS, waitFor } from '../helpers/server.ts';
import { requireService } from '../helpers/services.ts';

const pg = requireService('postgres');

const CHUNK = 250;
const MAX_BURST = 200_000;
const CLAIM_IDLE_MS = 1_000;

interface Status {
  learned: number;
  received: number;
}

describe.skipIf(!pg.url || !privateRedisAvailable())('cluster: a learner killed mid-batch', () => {
  let env: ClusterEnv | undefined;
  let redis: PrivateRedis | undefined;
  let cmd: Redis | undefined;
  let sub: Redis | undefined;
  let monitor: Redis | undefined;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    env = await createClusterEnv({ pgUrl: pg.url ?? '', redisUrl: redis.url, name: 'cluster-lkill', tracks: TEST_TRACKS });
    cmd = await openTestRedis(redis.url);
    sub = await openTestRedis(redis.url, 'test-sub');
  }, 120_000);

  afterAll(async () => {
    monitor?.disconnect();
    if (sub) await closeRedis(sub);
    if (cmd) await closeRedis(cmd);
    await env?.teardown();
    await redis?.kill();
  }, 60_000);

  it('the survivor takes over the dead learner’s pending entries; each is learned exactly once', async () => {
    const e = env as ClusterEnv;
    const r = cmd as Redis;
    const { stream, group } = e;

    // Who acked what: connection address → consumer (from its XAUTOCLAIM), address → acked stream ids.
    const consumerOf = new Map<string, string>();
    const acks = new Map<string, string[]>();
    monitor = await r.monitor();
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      const name = args[0]?.toLowerCase();
      if (name === 'xautoclaim' && args[1] === stream) consumerOf.set(source, args[3] ?? '');
      else if (name === 'xack' && args[1] === stream) acks.set(source, [...(acks.get(source) ?? []), ...args.slice(3)]);
    });

    // Each learner publishes its status on its own channel (own CHORUS_REDIS_PREFIX; same stream and group).
    const statusOf = new Map<string, Status>();
    const survivorChannel = `${e.prefix}:survivor:learner:status`;
    const victimChannel = `${e.prefix}:victim:learner:status`;
    const s = sub as Redis;
    s.on('message', (channel: string, message: string) => statusOf.set(channel, JSON.parse(message) as Status));
    await s.subscribe(survivorChannel, victimChannel);

    const learner = (role: string): Promise<Child> =>
      e.learner(role, { CHORUS_REDIS_PREFIX: `${e.prefix}:${role}`, CHORUS_STREAM_CLAIM_IDLE_MS: String(CLAIM_IDLE_MS) });
    const [survivor, victim] = await Promise.all([learner('survivor'), learner('victim')]);
    const pidOf = (consumer: string) => Number(consumer.split(':').at(-2));
    await waitFor(() => [...consumerOf.values()].some((c) => pidOf(c) === victim.proc.pid) && consumerOf.size >= 2, {
      timeoutMs: 10_000,
      what: 'both learners to claim once (maps connections to consumers)',
    });
    const victimConsumer = [...consumerOf.values()].find((c) => pidOf(c) === victim.proc.pid) as string;
    const survivorConsumer = [...consumerOf.values()].find((c) => pidOf(c) === survivor.proc.pid) as string;
    expect(survivorConsumer).toBeTruthy();

    // The burst, in pipelined chunks so both learners are busy while it arrives; it runs until the kill.
    const record = (i: number): Interaction => ({
      id: randomUUID(),
      userId: `u${i % 50}`,
      roomId: null,
      trackId: (TEST_TRACKS[i % 12] as (typeof TEST_TRACKS)[number]).id,
      type: i % 4 === 0 ? 'skip' : 'like',
      context: { hour: 12, weekday: 3 },
      createdAt: Date.now(),
    });
    const streamIds: string[] = [];
    const pendingOf = async (consumer: string): Promise<number> => {
      const summary = (await r.xpending(stream, group)) as [number, string | null, string | null, [string, string][] | null];
      return Number(summary[3]?.find(([c]) => c === consumer)?.[1] ?? 0);
    };
    let killed = false;
    let pauses = 0;
    const killer = (async () => {
      // A batch is learned in about a millisecond: polling alone loses the race with the victim's XACK. So
      // freeze it (SIGSTOP) when it holds entries, confirm they are still pending while it cannot ack,
      // and only then SIGKILL; otherwise let it run on and try again.
      const pid = victim.proc.pid as number;
      while (!killed) {
        await waitFor(async () => (await pendingOf(victimConsumer)) > 0, { timeoutMs: 30_000, intervalMs: 1, what: 'the victim to hold entries' });
        victim.proc.kill('SIGSTOP');
        pauses++;
        await waitFor(() => isStopped(pid), { timeoutMs: 2_000, intervalMs: 1, what: 'the victim to stop' });
        if ((await pendingOf(victimConsumer)) > 0) {
          victim.proc.kill('SIGKILL');
          killed = true;
        } else victim.proc.kill('SIGCONT');
      }
    })();
    for (let i = 0; !killed && i < MAX_BURST; i += CHUNK) {
      const pipe = r.pipeline();
      for (let j = i; j < i + CHUNK; j++) pipe.xadd(stream, '*', ...encodeInteraction(record(j)));
      for (const [err, id] of (await pipe.exec()) ?? []) {
        if (err) throw err;
        streamIds.push(String(id));
      }
    }
    await killer;
    const BURST = streamIds.length;
    await waitFor(() => victim.exited, { timeoutMs: 5_000, intervalMs: 5, what: 'the victim to die' });
    expect(killed).toBe(true);
    expect(victim.signal).toBe('SIGKILL');

    // Frozen now: the victim's pending entries (the survivor may claim them only after CLAIM_IDLE_MS).
    const pendingRows = (await r.xpending(stream, group, '-', '+', BURST, victimConsumer)) as [string, string, number, number][];
    const victimPending = pendingRows.map(([id]) => id);
    const idleAtRead = Math.max(...pendingRows.map((row) => Number(row[2])));
    console.info(`[cluster-learner-kill] victim held ${victimPending.length} pending entries at death (idle ${idleAtRead} ms; ${pauses} SIGSTOP tries; ${BURST} entries sent)`);
    expect(idleAtRead).toBeLessThan(CLAIM_IDLE_MS); // nobody could have claimed them before this read
    expect(victimPending.length).toBeGreaterThan(0);

    // The group drains: everything delivered and acked, nothing left pending.
    const started = Date.now();
    await waitFor(
      async () => {
        const summary = (await r.xpending(stream, group)) as [number, ...unknown[]];
        const groups = (await r.xinfo('GROUPS', stream)) as unknown[][];
        const g = groups.map((row) => Object.fromEntries(chunk(row))).find((x) => x['name'] === group);
        return Number(summary[0]) === 0 && g !== undefined && Number(g['lag']) === 0 && Number(g['entries-read']) === BURST;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'the group to drain (XPENDING empty, lag 0)' },
    );
    const takeoverMs = Date.now() - started;
    expect(await r.xlen(`${stream}:dead`)).toBe(0);

    // Every entry acked exactly once, attributed to the learner that acked it.
    const sourceOf = (consumer: string) => [...consumerOf.entries()].find(([, c]) => c === consumer)?.[0] ?? '';
    const ackedBySurvivor = acks.get(sourceOf(survivorConsumer)) ?? [];
    const ackedByVictim = acks.get(sourceOf(victimConsumer)) ?? [];
    const all = [...acks.values()].flat();
    const counts = new Map<string, number>();
    for (const id of all) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.values()].filter((n) => n !== 1), 'entries acked more than once').toEqual([]);
    expect(counts.size, 'entries acked').toBe(BURST);
    expect(new Set(all)).toEqual(new Set(streamIds));
    expect(ackedBySurvivor.length + ackedByVictim.length).toBe(BURST);
    const bySurvivor = new Set(ackedBySurvivor);
    expect(victimPending.filter((id) => !bySurvivor.has(id)), 'victim’s pending entries not taken over').toEqual([]);

    // The survivor's models learned exactly what it acked: its first deliveries plus the victim's pending.
    const status = await waitFor(
      () => {
        const st = statusOf.get(survivorChannel);
        return st && st.learned >= ackedBySurvivor.length ? st : null;
      },
      { timeoutMs: 10_000, intervalMs: 50, what: `the survivor to report ${ackedBySurvivor.length} learned` },
    );
    console.info(
      `[cluster-learner-kill] ${BURST} entries: victim acked ${ackedByVictim.length} before dying, survivor acked ` +
        `${ackedBySurvivor.length} (of which ${victimPending.length} taken over), survivor learned ${status.learned} ` +
        `(received ${status.received}); drained ${takeoverMs} ms after the kill`,
    );
    expect(status.learned).toBe(ackedBySurvivor.length);
    expect(status.received).toBe(status.learned); // no duplicate delivery reached its models
    expect(ackedByVictim.length + status.learned).toBe(BURST);
    expect(survivor.exited).toBe(false);
  }, 180_000);
});

/** Linux: the process is stopped (state T) — it can send nothing more to Redis. Elsewhere: assume so. */
function isStopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
  } catch {
    return true;
  }
}

function chunk(row: unknown[]): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (let i = 0; i + 1 < row.length; i += 2) out.push([String(row[i]), row[i + 1]]);
  return out;
}
