/**
 * Issue 2 §7: every acknowledged interaction is stored exactly once and published exactly once, even
 * when many clients fire at the same time, and replaying stored records does not double them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Interaction } from '../../ml/types.ts';
import { call, ok, startServer, waitFor, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
const published: Interaction[] = [];

beforeAll(async () => {
  server = await startServer({ config: { rateLimitPoints: 10_000 } });
  server.interactionLog.subscribe((batch) => {
    published.push(...batch);
  });
});

async function joinAll(code: string, names: string[]): Promise<{ socket: TestClient; userId: string }[]> {
  return Promise.all(
    names.map(async (name) => {
      const g = await server.guest(name);
      const socket = await server.connect(g.token);
      await ok(socket, 'room:join', { code });
      return { socket, userId: g.userId };
    }),
  );
}

describe('interactions', () => {
  it('N acknowledged interactions from several clients → exactly N stored and N published', async () => {
    const host = await server.guest('Host');
    const { code, roomId } = await server.app.rooms.createRoom({ userId: host.userId, displayName: 'Host' }, 'Busy');
    // A second room in parallel: its interactions must not leak into the first one's count.
    const other = await server.app.rooms.createRoom({ userId: host.userId, displayName: 'Host' }, 'Other');
    const members = await joinAll(code, ['A', 'B', 'C', 'D']);
    const [bystander] = await joinAll(other.code, ['E']);

    // Everyone adds at once.
    const adds = await Promise.all(
      members.flatMap((m, i) => [0, 1, 2].map((k) => call(m.socket, 'queue:add', { trackId: `t${((i * 3 + k) % 12) + 1}` }))),
    );
    const items = adds.flatMap((a) => (a.ok ? [a.data.item] : []));
    expect(items).toHaveLength(12);

    // Then everyone votes on everyone else's items and reacts, all concurrently.
    const votes = members.flatMap((m, i) =>
      items
        .filter((it) => it.addedBy !== m.userId)
        .map((it, k) => call(m.socket, 'queue:vote', { itemId: it.id, value: (i + k) % 2 === 0 ? 1 : -1 })),
    );
    const reacts = members.flatMap((m, i) =>
      [1, 2, 3].map((k) => call(m.socket, 'track:react', { trackId: `t${k + i}`, reaction: k % 2 ? 'like' : 'dislike' })),
    );
    const elsewhere = [call(bystander!.socket, 'queue:add', { trackId: 't1' })];
    const results = await Promise.all([...votes, ...reacts]);
    await Promise.all(elsewhere);
    expect(results.every((r) => r.ok)).toBe(true);

    const expected = items.length + votes.length + reacts.length; // one interaction per acked edit
    await server.interactionLog.drain();
    const mine = published.filter((i) => i.roomId === roomId);
    expect(mine).toHaveLength(expected);
    expect(new Set(mine.map((i) => i.id)).size).toBe(expected);
    expect(await server.db.repos.interactions.count({ roomId })).toBe(expected);

    const stored = await server.db.repos.interactions.list({ roomId, limit: 10_000 });
    expect(new Set(stored.map((i) => i.id))).toEqual(new Set(mine.map((i) => i.id)));
    const byType = (t: string) => stored.filter((i) => i.type === t).length;
    expect(byType('queue_add')).toBe(12);
    expect(byType('vote_up') + byType('vote_down')).toBe(votes.length);
    expect(byType('like') + byType('dislike')).toBe(reacts.length);
    for (const i of stored) {
      expect(i.context.hour).toBeGreaterThanOrEqual(0);
      expect(i.context.weekday).toBeGreaterThanOrEqual(0);
    }

    // Replaying stored records (an at-least-once consumer, a retried append) adds nothing.
    expect(await server.db.repos.interactions.append(stored.slice(0, 10))).toBe(0);
    expect(await server.db.repos.interactions.count({ roomId })).toBe(expected);
  });

  it('context carries the room mood and activity', async () => {
    const host = await server.guest('Moody');
    const { code, roomId } = await server.app.rooms.createRoom({ userId: host.userId, displayName: 'Moody' }, 'Mood');
    const s = await server.connect(host.token);
    await ok(s, 'room:join', { code });
    await ok(s, 'room:settings', { mood: 'chill', activity: 'study' });
    await ok(s, 'track:react', { trackId: 't1', reaction: 'like' });
    const [rec] = await waitFor(async () => {
      const list = await server.db.repos.interactions.list({ roomId, limit: 10 });
      return list.length > 0 ? list : null;
    });
    expect(rec?.context).toMatchObject({ mood: 'chill', activity: 'study' });
    expect(rec).toMatchObject({ userId: host.userId, trackId: 't1', type: 'like', roomId });
  });
});
