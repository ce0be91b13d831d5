import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, errorOf, httpFixture } from './http-fixtures.ts';

describe('GET /api/models', () => {
  it('lists versions newest first with the live learner status, no token needed', async () => {
    const f = httpFixture();
    const res = await f.get('/api/models');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { versions: { version: number; active: boolean }[]; status: { lag: number; modelVersion: string } };
    expect(body.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(body.versions[0]?.active).toBe(true);
    expect(body.status).toMatchObject({ lag: 20, modelVersion: '2.100' });
  });
});

describe('admin routes: POST /api/models/:version/activate and /api/models/snapshot', () => {
  const routes = ['/api/models/1/activate', '/api/models/snapshot'];

  it.each(routes)('%s answers 403 while CHORUS_ADMIN_TOKEN is not configured, whatever is sent', async (path) => {
    const f = httpFixture({ adminToken: undefined });
    for (const headers of [{}, bearer(ADMIN_TOKEN), bearer('')]) {
      const err = await errorOf(await f.post(path, undefined, headers));
      expect(err).toEqual({ status: 403, code: 'FORBIDDEN', message: 'admin token not configured' });
    }
    expect(f.recs.calls).toEqual([]);
  });

  it.each(routes)('%s needs the admin token: none → 401, wrong or a guest token → 403', async (path) => {
    const f = httpFixture({ adminToken: ADMIN_TOKEN });
    expect(await errorOf(await f.post(path))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(await errorOf(await f.post(path, undefined, { authorization: ADMIN_TOKEN }))).toMatchObject({ status: 401 });
    expect(await errorOf(await f.post(path, undefined, bearer(`${ADMIN_TOKEN}x`)))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await errorOf(await f.post(path, undefined, bearer('short')))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await errorOf(await f.post(path, undefined, bearer(await f.token('u1'))))).toMatchObject({ status: 403 });
    expect(f.recs.calls).toEqual([]);
  });

  it('activate rolls back to a stored version with the right token', async () => {
    const f = httpFixture({ adminToken: ADMIN_TOKEN });
    const res = await f.post('/api/models/1/activate', undefined, bearer(ADMIN_TOKEN));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ version: 1, active: true });
    const list = (await (await f.get('/api/models')).json()) as { versions: { version: number; active: boolean }[] };
    expect(list.versions.filter((v) => v.active).map((v) => v.version)).toEqual([1]);
  });

  it('activate is 404 for an unknown version and 400 for a malformed one', async () => {
    const f = httpFixture({ adminToken: ADMIN_TOKEN });
    expect(await errorOf(await f.post('/api/models/99/activate', undefined, bearer(ADMIN_TOKEN)))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    for (const bad of ['-1', 'latest', '1.5']) {
      expect(await errorOf(await f.post(`/api/models/${bad}/activate`, undefined, bearer(ADMIN_TOKEN)))).toMatchObject({
        status: 400,
        code: 'VALIDATION',
      });
    }
  });

  it('snapshot takes one now, marked manual', async () => {
    const f = httpFixture({ adminToken: ADMIN_TOKEN });
    const res = await f.post('/api/models/snapshot', undefined, bearer(ADMIN_TOKEN));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ version: 3, reason: 'manual' });
    expect(f.recs.calls).toContainEqual(['snapshot', 'manual']);
  });
});
