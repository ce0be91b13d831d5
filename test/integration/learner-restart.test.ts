/**
 * What was learned survives a restart (shutdown snapshot → registry → restore at start), the registry can
 * roll back, and the recommendation REST endpoints answer from the real learner thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ok, startServer, waitFor, type TestClient } from '../helpers/server.ts';

const LIGHT = ['popularity', 'item-knn', 'mf-bpr', 'content', 'group-room'];
const ADMIN = 'admin-token-for-tests-0123456789';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const config = { learner: true, models: LIGHT, adminToken: ADMIN };

async function getJson(url: string, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: await res.json() };
}

describe('learner lifecycle', () => {
  it('keeps the learned models across a restart, and rolls back to a registry version', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'chorus-learn-'));
    dirs.push(dataDir);
    const first = await startServer({ dataDir, config });
    const [ana, bo] = [await first.guest('Ana'), await first.guest('Bo')];
    const code = ((await first.post('/api/rooms', { name: 'R' }, ana.token)).body as { code: string }).code;
    const a = await first.connect(ana.token);
    const b = await first.connect(bo.token);
    await ok(a, 'room:join', { code });
    await ok(b, 'room:join', { code });
    for (const [c, ids] of [
      [a, ['t1', 't4', 't7', 't10']],
      [b, ['t2', 't5', 't8']],
    ] as [TestClient, string[]][]) {
      for (const trackId of ids) await ok(c, 'track:react', { trackId, reaction: 'like' });
    }
    const stored = await first.db.repos.interactions.count();
    await waitFor(() => first.app.recs.status().learned === stored, { what: 'learner caught up' });
    const before = await getJson(`${first.url}/api/recommendations/user/${ana.userId}?k=5`);
    expect(before.status).toBe(200);
    expect(before.body.items ?? before.body).toHaveLength(5);

    // Compatibility and preferences answer from the same learner.
    const compat = await getJson(`${first.url}/api/compatibility/score?a=${ana.userId}&b=${bo.userId}`);
    expect(compat.status).toBe(200);
    expect(compat.body.score).toBeGreaterThanOrEqual(0);
    expect(compat.body.score).toBeLessThanOrEqual(100);
    const prefs = await first.post('/api/preferences/update', { genres: ['jazz'] }, bo.token);
    expect(prefs.status).toBe(200);

    await first.close(); // shutdown snapshot
    const second = await startServer({ dataDir, config });
    const after = await getJson(`${second.url}/api/recommendations/user/${ana.userId}?k=5`);
    expect(after.body).toEqual(before.body);

    const models = await getJson(`${second.url}/api/models`);
    expect(models.status).toBe(200);
    const versions = (models.body.versions ?? models.body) as { version: number; active: boolean; reason: string }[];
    expect(versions.length).toBeGreaterThanOrEqual(1);
    expect(versions.filter((v) => v.active)).toHaveLength(1);
    expect(versions[0]?.reason).toBe('shutdown');

    // Learn more, snapshot, then roll back to the first version: the old recommendations come back.
    const c2 = await second.connect(ana.token);
    await ok(c2, 'room:join', { code });
    for (const trackId of ['t3', 't6', 't9', 't11', 't12']) await ok(c2, 'track:react', { trackId, reaction: 'like' });
    const stored2 = await second.db.repos.interactions.count();
    await waitFor(async () => (await second.db.repos.interactions.count()) === stored2 && second.app.recs.status().lag === 0, {
      what: 'caught up again',
    });
    const snap = await fetch(`${second.url}/api/models/snapshot`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(snap.status).toBe(201);
    const v1 = versions[0]?.version as number;
    const denied = await fetch(`${second.url}/api/models/${v1}/activate`, { method: 'POST', headers: { authorization: 'Bearer nope' } });
    expect(denied.status).toBe(403);
    const missing = await fetch(`${second.url}/api/models/99999/activate`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(missing.status).toBe(404);
    const act = await fetch(`${second.url}/api/models/${v1}/activate`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(act.status).toBe(200);
    const rolled = await getJson(`${second.url}/api/recommendations/user/${ana.userId}?k=5`);
    expect(rolled.body).toEqual(before.body);
    await second.close();
  });
});
