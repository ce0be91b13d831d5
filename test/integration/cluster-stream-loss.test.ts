/**
 * Scale-out: Redis loses the interaction stream while entries in it are still unread. The learner is
 * paused (SIGSTOP) while a member reacts, so the node publishes the reactions and dequeues them from the
 * Postgres outbox, but nobody reads them; then Redis restarts without its data (a private redis-server,
 * no persistence). When the learner resumes, its consumer group is gone: it must replay from Postgres
 * what was stored since it last drained the stream, so that learned reaches stored again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClusterEnv,
  learnerStatus,
  privateRedisAvailable,
  startPrivateRedis,
  type Child,
  type ClusterEnv,
  type NodeProc,
  type PrivateRedis,
  type TestUser,
} from '../helpers/cluster.ts';
import { ok, TEST_TRACKS, waitFor } from '../helpers/server.ts';
import { requireService } from '../helpers/services.ts';

const pg = requireService('postgres');
const UNREAD = 12;

describe.skipIf(!pg.url || !privateRedisAvailable())('cluster: Redis loses stream entries nobody read yet', () => {
  let env: ClusterEnv | undefined;
  let redis: PrivateRedis | undefined;
  let node: NodeProc;
  let learner: Child;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    env = await createClusterEnv({ pgUrl: pg.url ?? '', redisUrl: redis.url, name: 'cluster-stream-loss', tracks: TEST_TRACKS });
    [node, learner] = await Promise.all([env.node('node-a'), env.learner('learner')]);
  }, 120_000);

  afterAll(async () => {
    if (learner && !learner.exited) learner.proc.kill('SIGCONT');
    await env?.teardown();
    await redis?.kill();
  }, 60_000);

  const learned = async (): Promise<number | null> => (await learnerStatus(node.url))?.learned ?? null;
  const count = async (table: string): Promise<number> =>
    Number(((await (env as ClusterEnv).database.query(`select count(*)::int as n from ${table}`))[0] as { n: number }).n);

  it('replays from Postgres what the lost stream held, so every stored interaction is learned', async () => {
    const e = env as ClusterEnv;
    const r = redis as PrivateRedis;
    const [host] = (await e.users(1, 'Host')) as [TestUser];
    const { code } = await e.createRoom(node.url, host.token, 'Stream loss');
    const socket = await e.connect(node.url, host.token);
    await ok(socket, 'room:join', { code });
    const react = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const track = TEST_TRACKS[i % TEST_TRACKS.length] as (typeof TEST_TRACKS)[number];
        await ok(socket, 'track:react', { trackId: track.id, reaction: 'like' });
      }
    };
    await react(3);
    await waitFor(async () => ((await learned()) ?? 0) >= (await count('interactions')), {
      timeoutMs: 20_000,
      intervalMs: 100,
      what: 'the learner to learn everything stored so far',
    });

    // The learner stops reading; reactions go on, reach the stream and leave the outbox.
    learner.proc.kill('SIGSTOP');
    await react(UNREAD);
    await waitFor(async () => (await count('interaction_outbox')) === 0, {
      timeoutMs: 10_000,
      what: 'the node to publish the reactions (outbox empty)',
    });

    // Redis comes back empty: the unread entries are gone from everywhere but Postgres.
    await r.kill();
    await r.start();
    learner.proc.kill('SIGCONT');

    const stored = await count('interactions');
    let last: number | null = null;
    await waitFor(
      async () => {
        last = await learned();
        return last !== null && last >= stored;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: `the learner to learn all ${stored} stored interactions` },
    ).catch(() => undefined);
    expect(last, 'learned (learner status) vs stored interactions').toBe(stored);
    // Learned through the recovery, not by chance.
    expect(learner.lines.some((l) => /replayed interactions stored while the stream lost its data/.test(l))).toBe(true);
  }, 150_000);
});
