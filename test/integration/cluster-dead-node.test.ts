/**
 * Scale-out: a node that dies and is not restarted. Its members' sockets went with it and nobody marked
 * them disconnected; the surviving node's presence sweep does, once the socket.io adapter has dropped
 * the dead peer and two sweeps in a row found their socket on no node. The member on the surviving
 * node stays connected throughout.
 */
import { describe, expect, it } from 'vitest';
import { roomAcrossNodes, twoNodeCluster } from '../helpers/cluster.ts';
import { ok, TEST_TRACKS, waitFor } from '../helpers/server.ts';
import { requireService } from '../helpers/services.ts';

const pg = requireService('postgres');
const redis = requireService('redis');

describe.skipIf(!pg.url || !redis.url)('cluster: a node dies and stays down', () => {
  const cluster = twoNodeCluster({
    pgUrl: pg.url ?? '',
    redisUrl: redis.url ?? '',
    name: 'cluster-dead-node',
    tracks: TEST_TRACKS,
    nodeEnv: { CHORUS_PRESENCE_SWEEP_MS: '500' },
  });

  it("marks the dead node's members disconnected, and only them", async () => {
    const e = cluster.env;
    const [a, b] = cluster.nodes;
    const { onA, onB, socketB, connected } = await roomAcrossNodes(e, a, b, 'Dead node');
    // Several sweeps pass while both nodes live: nobody is marked.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await connected()).toEqual({ [onA.userId]: true, [onB.userId]: true });

    const seen: { userId: string; connected: boolean }[][] = [];
    socketB.on('room:members', (m) => void seen.push(m.members));
    await e.kill(a.child);
    await waitFor(async () => (await connected())[onA.userId] === false, {
      // At most the adapter's heartbeat timeout (10 s) for it to stop waiting for the dead peer, then two sweeps.
      timeoutMs: 40_000,
      what: 'the member whose socket died with node A to be shown disconnected',
    });
    expect((await connected())[onB.userId]).toBe(true);
    // The member left in the room sees it too.
    await waitFor(() => seen.some((ms) => ms.find((m) => m.userId === onA.userId)?.connected === false), {
      timeoutMs: 5_000,
      what: 'node B to broadcast the member list with the dead node’s member disconnected',
    });
    // The room on the surviving node goes on: its member acts and stays connected.
    await ok(socketB, 'queue:add', { trackId: 't1' });
    expect((await connected())[onB.userId]).toBe(true);
  }, 90_000);
});
