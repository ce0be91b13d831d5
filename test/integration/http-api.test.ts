import { beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';

describe('HTTP API (Hono, app.request without a port)', () => {
  let server: TestServer;
  const req = (path: string, init?: RequestInit) => server.app.http.request(path, init);
  const json = (body: unknown, token?: string): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  beforeAll(async () => {
    server = await startServer();
  });

  it('GET /health reports the database and realtime kinds', async () => {
    const res = await req('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'pglite', realtime: 'memory' });
  });

  it('POST /api/guests issues a guest identity with a token', async () => {
    const res = await req('/api/guests', json({ displayName: 'Ana' }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { userId: string; token: string };
    expect(body.userId).toEqual(expect.any(String));
    await expect(server.deps.auth.verify(body.token)).resolves.toMatchObject({ userId: body.userId });
  });

  it.each([
    ['empty name', { displayName: '' }],
    ['missing name', {}],
    ['extra field', { displayName: 'Ana', admin: true }],
    ['wrong type', { displayName: 42 }],
    ['malformed JSON', '{"displayName":'],
  ])('POST /api/guests with %s → 400 VALIDATION', async (_label, body) => {
    const res = await req('/api/guests', json(body));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION' } });
  });

  it('refuses bodies over the payload limit', async () => {
    const res = await req('/api/guests', json({ displayName: 'x'.repeat(20_000) }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION' } });
  });

  it('POST /api/rooms needs a bearer token and makes the caller host', async () => {
    expect((await req('/api/rooms', json({ name: 'Friday' }))).status).toBe(401);
    expect((await req('/api/rooms', json({ name: 'Friday' }, 'forged'))).status).toBe(401);

    const guest = await server.guest('Host');
    const res = await req('/api/rooms', json({ name: 'Friday' }, guest.token));
    expect(res.status).toBe(201);
    const room = (await res.json()) as { roomId: string; code: string; joinUrl: string };
    expect(room.code).toMatch(/^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{6}$/);
    expect(room.joinUrl).toContain(room.code);

    const summary = await req(`/api/rooms/${room.code}`);
    expect(summary.status).toBe(200);
    expect(await summary.json()).toMatchObject({ roomId: room.roomId, code: room.code, name: 'Friday', nowPlaying: null });
    const stored = await server.db.repos.rooms.load(room.roomId);
    expect(stored?.hostId).toBe(guest.userId);
  });

  it('GET /api/rooms/:code is 404 for an unknown code and 400 for a malformed one', async () => {
    const unknown = await req('/api/rooms/ZZZZZZ');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await req('/api/rooms/%24%24')).status).toBe(400);
  });

  it('GET /api/tracks searches by title and artist, filters by genre, bounds the limit', async () => {
    const res = await req('/api/tracks?q=Trak%20t1&limit=5');
    expect(res.status).toBe(200);
    const { tracks } = (await res.json()) as { tracks: { id: string; title: string }[] };
    expect(tracks.length).toBeGreaterThan(0);
    expect(tracks.length).toBeLessThanOrEqual(5);
    expect(tracks.some((t) => t.id === 't1' || t.title.startsWith('Track t1'))).toBe(true);

    const jazz = (await (await req('/api/tracks?genre=jazz&limit=50')).json()) as { tracks: { genre: string }[] };
    expect(jazz.tracks.length).toBeGreaterThan(0);
    expect(jazz.tracks.every((t) => t.genre === 'jazz')).toBe(true);

    expect((await req('/api/tracks?limit=1000')).status).toBe(400);
    expect((await req('/api/tracks/t1')).status).toBe(200);
    expect((await req('/api/tracks/nope')).status).toBe(404);
  });

  it('POST bodies must be JSON: another content type is a 400 VALIDATION, not a 415 or 500', async () => {
    const res = await req('/api/guests', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'displayName=Ana' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION' } });
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const doc = (await (await req('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/guests', '/api/rooms/{code}', '/api/tracks', '/health']));
    const docs = await req('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/docs/swagger-ui-bundle.js');
  });

  it('unknown routes answer a typed 404', async () => {
    const res = await req('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
