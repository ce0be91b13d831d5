/**
 * The cluster end to end, as separate processes: two server nodes and a learner process on a fresh
 * Postgres database and unique Redis names. A room created on node A is joined through node B; a queue
 * edit on A reaches B's client; a like sent through B is learned by the learner process and its
 * recs:updated (listing the like) reaches the clients on both nodes through the socket.io Redis adapter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueUpdatedEvent, RecsUpdatedEvent } from '../../server/transport/socket/events.ts';
import { createClusterEnv, LIGHT_MODELS, type Child, type ClusterEnv, type TestUser } from '../helpers/cluster.ts';
import { ok, TEST_TRACKS, waitFor } from '../helpers/server.ts';
import { requireService } from '../helpers/services.ts';

const pg = requireService('postgres');
const redis = requireService('redis');

describe.skipIf(!pg.url || !redis.url)('cluster: two nodes and a learner process', () => {
  let env: ClusterEnv | undefined;
  let urls: [string, string] = ['', ''];
  let host: TestUser;
  let guest: TestUser;

  beforeAll(async () => {
    env = await createClusterEnv({ pgUrl: pg.url ?? '', redisUrl: redis.url ?? '', name: 'cluster', tracks: TEST_TRACKS });
    [host, guest] = (await env.users(2, 'User')) as [TestUser, TestUser];
    const e = env;
    const [a, b] = await Promise.all([e.node('node-a'), e.node('node-b'), e.learner('learner')]);
    urls = [a.url, b.url];
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  }, 60_000);

  it('shares a room across nodes and pushes the learner process’s recs to both', async () => {
    const e = env as ClusterEnv;
    const [urlA, urlB] = urls;
    const { code } = await e.createRoom(urlA, host.token, 'Cluster');

    const hostSocket = await e.connect(urlA, host.token);
    const guestSocket = await e.connect(urlB, guest.token);
    const recs: [RecsUpdatedEvent[], RecsUpdatedEvent[]] = [[], []];
    hostSocket.on('recs:updated', (x) => recs[0].push(x));
    guestSocket.on('recs:updated', (x) => recs[1].push(x));
    const queues: QueueUpdatedEvent[] = [];
    guestSocket.on('queue:updated', (x) => queues.push(x));

    await ok(hostSocket, 'room:join', { code });
    await ok(guestSocket, 'room:join', { code });

    // An edit on node A (whose cached room predates the guest's join on B) reaches B's client.
    await ok(hostSocket, 'queue:add', { trackId: 't1' });
    await waitFor(() => queues.some((q) => q.queue.some((i) => i.trackId === 't1')), {
      timeoutMs: 10_000,
      what: "node B's client to see node A's queue:add",
    });

    const liked = await ok(guestSocket, 'track:react', { trackId: 't2', reaction: 'like' });
    const id = liked.interactionIds[0] as string;
    expect(id).toBeTruthy();
    for (const [n, box] of recs.entries()) {
      const x = await waitFor(() => box.find((r) => r.learned.includes(id)), {
        timeoutMs: 20_000,
        what: `the like's recs:updated on node ${n === 0 ? 'A' : 'B'}`,
      });
      expect(x.items.length).toBeGreaterThan(0);
      expect(x.members.map((m) => m.userId)).toHaveLength(2);
      expect(Object.keys(x.weights).sort()).toEqual(LIGHT_MODELS.split(',').sort());
    }

    // Node A answers a room's list from what the learner stored in Redis; node B asks the learner for a
    // user's list (request/reply through Redis).
    const group = await fetch(`${urlA}/api/recommendations/group/${code}`);
    expect(group.status).toBe(200);
    expect(((await group.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    const user = await fetch(`${urlB}/api/recommendations/user/${guest.userId}?k=5`);
    expect(user.status).toBe(200);
    expect(((await user.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
  }, 60_000);

  it('stops cleanly on SIGTERM: the learner stores a shutdown snapshot, the nodes exit 0', async () => {
    const [a, b, learner] = (env as ClusterEnv).children as [Child, Child, Child];
    learner.proc.kill('SIGTERM');
    await waitFor(() => learner.exited, { timeoutMs: 30_000, what: 'the learner to exit' });
    expect(learner.code).toBe(0);
    expect(learner.lines.some((l) => /"reason":"shutdown".*model snapshot stored/.test(l))).toBe(true);
    for (const node of [a, b]) node.proc.kill('SIGTERM');
    await waitFor(() => a.exited && b.exited, { timeoutMs: 20_000, what: 'the nodes to exit' });
    expect([a.code, b.code]).toEqual([0, 0]);
  }, 60_000);
});
