import { describe, expect, it } from 'vitest';
import { bearer, errorOf, httpFixture } from './http-fixtures.ts';

describe('GET /api/recommendations/user/:userId', () => {
  const f = httpFixture();

  it('answers k items (default 10) for a known user', async () => {
    const res = await f.get('/api/recommendations/user/u1');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { userId: string; items: { trackId: string; reason: string }[] };
    expect(body.userId).toBe('u1');
    expect(body.items).toHaveLength(10);
    expect(body.items[0]).toMatchObject({ trackId: 't1', reason: expect.any(String) });

    const three = (await (await f.get('/api/recommendations/user/u1?k=3')).json()) as { items: unknown[] };
    expect(three.items).toHaveLength(3);
    expect(f.recs.calls).toContainEqual(['forUser', 'u1', 3]);
  });

  it.each(['0', '51', '2.5', 'ten', ''])('k=%s → 400 VALIDATION naming k', async (k) => {
    const err = await errorOf(await f.get(`/api/recommendations/user/u1?k=${k}`));
    expect(err).toMatchObject({ status: 400, code: 'VALIDATION' });
    expect(err.message).toMatch(/^k: /);
  });

  it('is 404 for an unknown user and 400 for a malformed id', async () => {
    expect(await errorOf(await f.get('/api/recommendations/user/nobody'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await errorOf(await f.get('/api/recommendations/user/a%20b'))).toMatchObject({ status: 400, code: 'VALIDATION' });
  });
});

describe('GET /api/recommendations/group/:code', () => {
  const f = httpFixture();

  it('resolves the code (any case) and passes k and strategy to the service', async () => {
    const res = await f.get('/api/recommendations/group/abc123?k=5&strategy=least-misery');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { roomId: string; code: string; strategy: string; items: unknown[]; harmony: number };
    expect(body).toMatchObject({ roomId: 'room-1', code: 'ABC123', strategy: 'least-misery', harmony: 0.9 });
    expect(body.items).toHaveLength(5);
    expect(f.recs.calls).toContainEqual(['forRoom', 'room-1', { k: 5, strategy: 'least-misery' }]);
  });

  it("leaves the strategy to the room's setting when none is given", async () => {
    await f.get('/api/recommendations/group/ABC123');
    expect(f.recs.calls).toContainEqual(['forRoom', 'room-1', { k: 10, strategy: undefined }]);
  });

  it('rejects a bad strategy or k, and answers 404 for an unknown code', async () => {
    const bad = await errorOf(await f.get('/api/recommendations/group/ABC123?strategy=loudest'));
    expect(bad).toMatchObject({ status: 400, code: 'VALIDATION' });
    expect(bad.message).toMatch(/^strategy: /);
    expect(await errorOf(await f.get('/api/recommendations/group/ABC123?k=100'))).toMatchObject({ code: 'VALIDATION' });
    expect(await errorOf(await f.get('/api/recommendations/group/ZZZZZZ'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await errorOf(await f.get('/api/recommendations/group/%24%24'))).toMatchObject({ status: 400, code: 'VALIDATION' });
  });
});

describe('GET /api/compatibility/score', () => {
  const f = httpFixture();

  it('scores two known users', async () => {
    const res = await f.get('/api/compatibility/score?a=u1&b=u2');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ a: 'u1', b: 'u2', score: 72, sentence: expect.any(String) });
  });

  it('needs both ids, well-formed, of known users', async () => {
    expect(await errorOf(await f.get('/api/compatibility/score?a=u1'))).toMatchObject({ status: 400, code: 'VALIDATION' });
    expect(await errorOf(await f.get('/api/compatibility/score?a=u1&b=%3Cx%3E'))).toMatchObject({ code: 'VALIDATION' });
    expect(await errorOf(await f.get('/api/compatibility/score?a=u1&b=ghost'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('POST /api/preferences/update', () => {
  const f = httpFixture();

  it("applies to the token's user and answers the merged preferences", async () => {
    const auth = bearer(await f.token('u1'));
    const first = await f.post('/api/preferences/update', { genres: [' jazz ', 'soul'], mood: 'calm' }, auth);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ userId: 'u1', preferences: { genres: ['jazz', 'soul'], mood: 'calm' } });
    const second = await f.post('/api/preferences/update', { artists: ['Nina Simone'] }, auth);
    expect(await second.json()).toMatchObject({ preferences: { genres: ['jazz', 'soul'], artists: ['Nina Simone'] } });
  });

  it('needs a valid bearer token', async () => {
    expect(await errorOf(await f.post('/api/preferences/update', { mood: 'calm' }))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(await errorOf(await f.post('/api/preferences/update', { mood: 'calm' }, bearer('forged')))).toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
    });
  });

  it.each([
    ['an empty body', {}],
    ['an unknown field', { mood: 'calm', colour: 'blue' }],
    ['too many genres', { genres: Array.from({ length: 21 }, (_, i) => `g${i}`) }],
    ['a blank genre', { genres: [' '] }],
    ['a long mood', { mood: 'x'.repeat(41) }],
    ['a wrong type', { artists: 'Nina Simone' }],
    ['malformed JSON', '{"mood":'],
  ])('refuses %s with 400 VALIDATION', async (_label, body) => {
    const res = await f.post('/api/preferences/update', body, bearer(await f.token('u1')));
    expect(await errorOf(res)).toMatchObject({ status: 400, code: 'VALIDATION' });
  });

  it('refuses a body that is not JSON with the same error shape', async () => {
    const token = await f.token('u1');
    const before = f.recs.calls.length;
    const text = await f.app.request('/api/preferences/update', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...bearer(token) },
      body: 'mood=calm',
    });
    expect(await errorOf(text)).toMatchObject({ status: 400, code: 'VALIDATION' });
    const form = await f.app.request('/api/preferences/update', { method: 'POST', headers: bearer(token), body: new URLSearchParams({ mood: 'x' }) });
    expect(await errorOf(form)).toMatchObject({ status: 400, code: 'VALIDATION' });
    expect(f.recs.calls.length).toBe(before);
  });
});
