/**
 * Scale-out: Redis restarts mid-session (a private redis-server without persistence, so its stream, the
 * consumer group and every key are gone when it returns; the shared Redis is never touched). Two nodes
 * and a learner keep running while members keep reacting: nothing crashes, service resumes, and every
 * acknowledged reaction is stored (Postgres) and learned (the learner's status, read from
 * GET /api/models on a node) — interactions whose publish failed during the outage must be re-published
 * (the Postgres outbox) for learned to reach stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClusterEnv,
  learnerStatus,
  privateRedisAvailable,
  startPrivateRedis,
  type ClusterEnv,
  type NodeProc,
  type PrivateRedis,
  type TestUser,
} from '../helpers/cluster.ts';
import { call, ok, TEST_TRACKS, waitFor, type TestClient } from '../helpers/server.ts';
import { requireService } from '../helpers/services.ts';

const pg = requireService('postgres');

const MEMBERS = 6;
const THINK_MS = 25;
const LEARN_DEADLINE_MS = 45_000;
const OUTAGE_MIN_MS = 3_000;

interface Attempt {
  startedAt: number;
  endedAt: number;
  ok: boolean;
  code?: string;
  ids: string[];
}

type LearnerStatus = NonNullable<Awaited<ReturnType<typeof learnerStatus>>>;

describe.skipIf(!pg.url || !privateRedisAvailable())('cluster: Redis restarts mid-session', () => {
  let env: ClusterEnv | undefined;
  let redis: PrivateRedis | undefined;
  let nodes: [NodeProc, NodeProc];

  beforeAll(async () => {
    redis = await startPrivateRedis();
    env = await createClusterEnv({ pgUrl: pg.url ?? '', redisUrl: redis.url, name: 'cluster-redis', tracks: TEST_TRACKS });
    const e = env;
    const [a, b] = await Promise.all([e.node('node-a'), e.node('node-b'), e.learner('learner')]);
    nodes = [a, b];
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
    await redis?.kill();
  }, 60_000);

  it('keeps serving through the outage; acked = stored = learned afterwards', async () => {
    const e = env as ClusterEnv;
    const r = redis as PrivateRedis;
    const [a, b] = nodes;
    const users = await e.users(MEMBERS, 'Member');
    const { roomId, code } = await e.createRoom(a.url, (users[0] as TestUser).token, 'Outage');
    const sockets: TestClient[] = [];
    for (const [i, u] of users.entries()) {
      const s = await e.connect((i % 2 === 0 ? a : b).url, u.token);
      await ok(s, 'room:join', { code });
      sockets.push(s);
    }

    // Members react until told to stop; every attempt is recorded with its outcome.
    const attempts: Attempt[] = [];
    let stop = false;
    const reacting = sockets.map(async (s, n) => {
      for (let i = 0; !stop; i++) {
        const track = TEST_TRACKS[(n + i) % TEST_TRACKS.length] as (typeof TEST_TRACKS)[number];
        const startedAt = Date.now();
        const res = await call(s, 'track:react', { trackId: track.id, reaction: i % 3 === 0 ? 'dislike' : 'like' }, 3_000).catch(
          () => null,
        );
        attempts.push({
          startedAt,
          endedAt: Date.now(),
          ok: res?.ok === true,
          ...(res && !res.ok ? { code: res.error.code } : res ? {} : { code: 'TIMEOUT' }),
          ids: res?.ok ? res.data.interactionIds : [],
        });
        // Think time of a member (a load generator's pace, not a wait for a condition).
        await new Promise((done) => setTimeout(done, THINK_MS));
      }
    });
    const okSince = (t: number) => attempts.filter((x) => x.ok && x.startedAt >= t).length;
    const since = (t: number) => attempts.filter((x) => x.startedAt >= t).length;

    // Warm: reactions learned before the outage.
    await waitFor(() => okSince(0) >= 30, { timeoutMs: 20_000, what: '30 acked reactions' });
    await waitFor(async () => ((await learnerStatus(b.url))?.learned ?? 0) > 0, {
      timeoutMs: 20_000,
      intervalMs: 100,
      what: 'the learner to learn before the outage',
    });

    const downAt = Date.now();
    await r.kill();
    const watching = [a.child, b.child, ...e.children.filter((c) => c.name === 'learner')];
    const linesAt = watching.map((c) => c.lines.length);
    const after = (i: number, re: RegExp) => (watching[i]?.lines.slice(linesAt[i]) ?? []).some((l) => re.test(l));
    await waitFor(() => watching.every((_, i) => after(i, /redis unreachable/)), {
      timeoutMs: 15_000,
      intervalMs: 20,
      what: 'nodes and learner to notice the outage',
    });
    // Long enough for blocking reads, pub/sub and the adapter to time out, not just one failed command.
    await waitFor(() => since(downAt) >= 3 * MEMBERS && Date.now() - downAt >= OUTAGE_MIN_MS, {
      timeoutMs: 20_000,
      what: 'members to keep reacting during the outage',
    });
    const duringOutage = attempts.filter((x) => x.startedAt >= downAt);

    const upAt = Date.now();
    await r.start();
    await waitFor(() => watching.every((_, i) => after(i, /redis connection restored/)), {
      timeoutMs: 20_000,
      intervalMs: 20,
      what: 'nodes and learner to reconnect',
    });
    const resumed = await waitFor(() => attempts.find((x) => x.ok && x.startedAt >= upAt), {
      timeoutMs: 15_000,
      what: 'an acked reaction after the restart',
    });
    await waitFor(() => okSince(upAt) >= 30, { timeoutMs: 20_000, what: '30 acked reactions after the restart' });
    stop = true;
    await Promise.all(reacting);

    const outageAcks = duringOutage.filter((x) => x.endedAt < upAt);
    const codes = outageAcks.reduce<Record<string, number>>((m, x) => {
      const k = x.ok ? 'ok' : (x.code ?? '?');
      return { ...m, [k]: (m[k] ?? 0) + 1 };
    }, {});
    console.info(
      `[cluster-redis] outage ${upAt - downAt} ms; reactions during it: ${JSON.stringify(codes)}; ` +
        `first ack ok ${resumed.endedAt - upAt} ms after the restart`,
    );

    // Nothing crashed.
    for (const c of e.children) expect(c.exited, `${c.name} exited:\n${c.lines.slice(-20).join('\n')}`).toBe(false);

    // Acked = stored.
    const acked = attempts.flatMap((x) => x.ids);
    expect(acked.length).toBeGreaterThan(60);
    const stored = await e.database.query(
      `select id from interactions where room_id = '${roomId}' and type in ('like', 'dislike')`,
    );
    const storedIds = new Set(stored.map((row) => String(row['id'])));
    expect(acked.filter((id) => !storedIds.has(id)), 'acked but not stored').toEqual([]);
    expect(storedIds.size, 'stored reactions vs acked ones').toBe(acked.length);

    // Stored = learned: everything in Postgres (reactions and whatever else the room recorded).
    const [{ n: total } = { n: 0 }] = (await e.database.query('select count(*)::int as n from interactions')) as { n: number }[];
    let status: LearnerStatus | null = null;
    const learnStart = Date.now();
    await waitFor(
      async () => {
        status = await learnerStatus(b.url);
        return status !== null && status.learned >= total;
      },
      { timeoutMs: LEARN_DEADLINE_MS, intervalMs: 200, what: `the learner to learn all ${total} stored interactions` },
    ).catch(() => undefined);
    const learned = (status as LearnerStatus | null)?.learned ?? -1;
    console.info(
      `[cluster-redis] acked ${acked.length}, stored reactions ${storedIds.size}, stored interactions ${total}, ` +
        `learned ${learned} (waited ${Date.now() - learnStart} ms)`,
    );
    expect(learned, 'learned (learner status) vs stored interactions').toBe(total);
  }, 180_000);
});
