/**
 * Scale-out with two learner processes: each learns its share of the stream, and any of them may answer
 * a node's request or push for a room. A member's declared taste must reach both, not only the one that
 * happened to take the node's request: afterwards every answer serves it, whichever learner gave it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterEnv, type ClusterEnv, type NodeProc, type TestUser } from '../helpers/cluster.ts';
import { TEST_TRACKS } from '../helpers/server.ts';
import { requireService } from '../helpers/services.ts';

const pg = requireService('postgres');
const redis = requireService('redis');
/** Enough answers that both learners give some (each takes a request with even odds). */
const ASKS = 16;
const GENRE = new Map(TEST_TRACKS.map((t) => [t.id, t.genre]));

describe.skipIf(!pg.url || !redis.url)('cluster: preferences reach every learner process', () => {
  let env: ClusterEnv | undefined;
  let node: NodeProc;

  beforeAll(async () => {
    env = await createClusterEnv({ pgUrl: pg.url ?? '', redisUrl: redis.url ?? '', name: 'cluster-prefs', tracks: TEST_TRACKS });
    const e = env;
    [node] = await Promise.all([e.node('node-a'), e.learner('learner-1'), e.learner('learner-2')]);
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  }, 60_000);

  const jazzIn = async (userId: string): Promise<number> => {
    const res = await fetch(`${node.url}/api/recommendations/user/${userId}?k=3`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { trackId: string }[] };
    return body.items.filter((i) => GENRE.get(i.trackId) === 'jazz').length;
  };

  it('every answer after the update serves the declared genre', async () => {
    const e = env as ClusterEnv;
    const [cold] = (await e.users(1, 'Cold')) as [TestUser];
    const before: number[] = [];
    for (let i = 0; i < ASKS; i++) before.push(await jazzIn(cold.userId));
    // Nothing declared yet: a third of the catalog is jazz, the lists need not be.
    expect(before.every((n) => n === 3)).toBe(false);

    const res = await fetch(`${node.url}/api/preferences/update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cold.token}` },
      body: JSON.stringify({ genres: ['jazz'] }),
    });
    expect(res.status).toBe(200);
    const after: number[] = [];
    for (let i = 0; i < ASKS; i++) after.push(await jazzIn(cold.userId));
    expect(after).toEqual(after.map(() => 3));
  }, 90_000);
});
