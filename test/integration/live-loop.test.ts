/**
 * The live loop end to end on a real server with its learner thread: a like from one member reaches every
 * member as recs:updated listing it; a joining member gets recommendations at once; nothing is learned
 * twice or lost; autoplay plays the top pick when the queue runs dry.
 */
import { describe, expect, it } from 'vitest';
import type { RecsUpdatedEvent } from '../../server/transport/socket/events.ts';
import { ok, startServer, waitFor, type TestClient, type TestServer } from '../helpers/server.ts';

const LIGHT = ['popularity', 'item-knn', 'mf-bpr', 'content', 'group-room'];

async function roomOf(server: TestServer, n: number) {
  const people = await Promise.all(Array.from({ length: n }, (_, i) => server.guest(`P${i + 1}`)));
  const created = await server.post('/api/rooms', { name: 'Live' }, people[0]?.token);
  const code = (created.body as { code: string }).code;
  const clients: TestClient[] = [];
  const inbox: RecsUpdatedEvent[][] = [];
  for (const p of people) {
    const c = await server.connect(p.token);
    const box: RecsUpdatedEvent[] = [];
    c.on('recs:updated', (e) => box.push(e));
    await ok(c, 'room:join', { code });
    clients.push(c);
    inbox.push(box);
  }
  return { people, code, clients, inbox };
}

describe('live loop', () => {
  it('pushes recs:updated to all three members after a like, and on join', async () => {
    const server = await startServer({ config: { learner: true, models: LIGHT } });
    const { clients, inbox } = await roomOf(server, 3);
    const [host, a] = clients as [TestClient, TestClient, TestClient];
    // Everyone got recommendations on join (the catalog is known before anyone played anything).
    for (const box of inbox) await waitFor(() => box.length > 0, { what: 'recs on join' });
    await ok(host, 'queue:add', { trackId: 't1' });
    await ok(host, 'playback:play', {});
    const before = inbox.map((b) => b.at(-1));
    const liked = await ok(a, 'track:react', { trackId: 't1', reaction: 'like' });
    expect(liked.interactionIds).toHaveLength(1);
    const id = liked.interactionIds[0] as string;
    for (const [m, box] of inbox.entries()) {
      const e = await waitFor(() => box.find((x) => x.learned.includes(id)), { what: `member ${m} to receive the like's push` });
      expect(e.items.length).toBeGreaterThan(0);
      expect(e.items.every((i) => i.trackId !== 't1')).toBe(true); // playing now: never recommended back
      expect(e.members.map((x) => x.userId).sort()).toHaveLength(3);
      expect(Object.keys(e.weights).sort()).toEqual([...LIGHT].sort());
      const prev = before[m];
      const changed = JSON.stringify(e.weights) !== JSON.stringify(prev?.weights) || JSON.stringify(e.items) !== JSON.stringify(prev?.items);
      expect(changed).toBe(true);
      expect(e.modelVersion).not.toBe(prev?.modelVersion);
    }
  });

  it('learns every stored interaction exactly once (redelivery is ignored)', async () => {
    const server = await startServer({ config: { learner: true, models: LIGHT } });
    const { clients } = await roomOf(server, 2);
    const [host, a] = clients as [TestClient, TestClient];
    await ok(host, 'queue:add', { trackId: 't2' });
    for (let i = 0; i < 20; i++) await ok(a, 'track:react', { trackId: `t${(i % 10) + 1}`, reaction: i % 3 ? 'like' : 'dislike' });
    const stored = await server.db.repos.interactions.count();
    const recs = server.app.recs;
    await waitFor(() => recs.status().learned === stored && recs.status().lag === 0, { what: `learner caught up (${stored} stored)` });
    // Publish the same records again (a replayed stream): nothing is learned twice.
    const again = await server.db.repos.interactions.list({ after: 0, limit: 1000 });
    await server.interactionLog.publish(again);
    await waitFor(() => recs.status().received === stored * 2, { what: 'redelivery received' });
    expect(recs.status().learned).toBe(stored);
    expect(recs.status().lag).toBe(0);
  });

  it('autoplay plays the top group recommendation when the queue runs dry', async () => {
    const server = await startServer({ config: { learner: true, models: LIGHT } });
    const { clients, inbox } = await roomOf(server, 2);
    const [host] = clients as [TestClient];
    await waitFor(() => inbox[0]?.length, { what: 'first push' });
    await ok(host, 'queue:add', { trackId: 'short1' });
    await ok(host, 'playback:play', {});
    // short1 lasts 300 ms; then the queue is dry and autoplay is on by default.
    const playing = await waitFor(
      async () => {
        const r = await server.app.rooms.get((await server.app.rooms.openRooms())[0]?.id ?? '');
        return r?.playback.autofill && r.playback.trackId !== 'short1' ? r.playback : null;
      },
      { what: 'an autofill track to play' },
    );
    const tops = inbox[0]?.flatMap((e) => e.items.slice(0, 3).map((i) => i.trackId)) ?? [];
    expect(tops).toContain(playing.trackId);
  });

  it('restarts a crashed learner thread from its snapshot and keeps pushing', async () => {
    const server = await startServer({ config: { learner: true, models: LIGHT } });
    const { clients, inbox } = await roomOf(server, 2);
    const [host, a] = clients as [TestClient, TestClient];
    await ok(host, 'queue:add', { trackId: 't3' });
    await ok(host, 'playback:play', {});
    const learning = server.app.learning;
    if (!learning) throw new Error('no learner');
    const dead = learning.thread;
    await dead.kill();
    // While it is down, rooms keep working and the reaction is stored.
    const during = await ok(a, 'track:react', { trackId: 't3', reaction: 'like' });
    await waitFor(() => learning.thread !== dead && learning.thread.running, { what: 'a new learner thread', timeoutMs: 20_000 });
    const after = await ok(a, 'track:react', { trackId: 't4', reaction: 'like' });
    for (const [m, box] of inbox.entries()) {
      await waitFor(() => box.some((e) => e.learned.includes(after.interactionIds[0] as string)), { what: `member ${m}: push after restart` });
    }
    // The reaction made while the thread was down was replayed into the new one.
    const stored = await server.db.repos.interactions.count();
    await waitFor(() => learning.status().learned >= stored, { what: 'replay caught up' });
    expect(during.interactionIds).toHaveLength(1);
  });
});
