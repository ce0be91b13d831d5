/**
 * Scale-out: a node that crashes and comes back must not mark the members connected through the other
 * node as disconnected. Node A dies (SIGKILL, so it marks nobody on the way out) with one member on it
 * and one on node B; when A is back, only the member whose socket went with it is shown disconnected.
 */
import { describe, expect, it } from 'vitest';
import { roomAcrossNodes, twoNodeCluster } from '../helpers/cluster.ts';
import { ok, TEST_TRACKS, waitFor } from '../helpers/server.ts';
import { requireService } from '../helpers/services.ts';

const pg = requireService('postgres');
const redis = requireService('redis');

describe.skipIf(!pg.url || !redis.url)('cluster: a node restarts while the other keeps its members', () => {
  const cluster = twoNodeCluster({ pgUrl: pg.url ?? '', redisUrl: redis.url ?? '', name: 'cluster-node-restart', tracks: TEST_TRACKS });

  it('marks only the members whose sockets were on the restarted node as disconnected', async () => {
    const e = cluster.env;
    const [a, b] = cluster.nodes;
    const { onA, onB, socketB, connected } = await roomAcrossNodes(e, a, b, 'Restart');
    expect(await connected()).toEqual({ [onA.userId]: true, [onB.userId]: true });

    await e.kill(a.child);
    const again = await e.node('node-a-again');
    await waitFor(async () => (await connected())[onA.userId] === false, {
      timeoutMs: 15_000,
      what: 'the member whose socket died with node A to be shown disconnected',
    });
    expect((await connected())[onB.userId]).toBe(true);
    // Node B's member is still in the room and can act through either node's state.
    await ok(socketB, 'queue:add', { trackId: 't1' });
    expect((await connected())[onB.userId]).toBe(true);
    expect(again.url).not.toBe('');
  }, 90_000);
});
