/**
 * Issue 2 §8 over real sockets: auth at connect, payload caps, per-socket rate limits, origin checks,
 * and malformed input answered with VALIDATION while everyone else keeps being served.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../server/auth.ts';
import { call, ok, rawCall, startServer, waitFor, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let code: string;
let member: TestClient;

beforeAll(async () => {
  server = await startServer({ config: { rateLimitPoints: 10_000 } });
  const host = await server.guest('Host');
  ({ code } = await server.app.rooms.createRoom({ userId: host.userId, displayName: 'Host' }, 'Abuse'));
  member = await server.connect(host.token);
  await ok(member, 'room:join', { code });
});

describe('connection auth', () => {
  it('refuses a missing, malformed or forged token with UNAUTHORIZED', async () => {
    const forged = await createAuth('another-secret-entirely-0000000').issue('someone', 'Mallory');
    for (const token of [undefined, '', 'not-a-jwt', forged]) {
      await expect(server.connect(token), String(token)).rejects.toThrow('UNAUTHORIZED');
    }
  });

  it('accepts a valid guest token', async () => {
    const g = await server.guest('Valid');
    const s = await server.connect(g.token);
    expect(s.connected).toBe(true);
  });
});

describe('malformed payloads', () => {
  const cases: [string, unknown[]][] = [
    ['room:join', [{}]],
    ['room:join', [{ code: 5 }]],
    ['room:join', ['ABCDEF']],
    ['room:join', [null]],
    ['queue:add', [{ trackId: '' }]],
    ['queue:add', [{ trackId: 't1', extra: true }]],
    ['queue:add', [{ trackId: 'bad id with spaces' }]],
    ['queue:move', [{ itemId: 'x', toIndex: -1 }]],
    ['queue:move', [{ itemId: 'x', toIndex: 1.5 }]],
    ['queue:vote', [{ itemId: 'x', value: 2 }]],
    ['playback:seek', [{ positionMs: 'soon' }]],
    ['track:react', [{ trackId: 't1', reaction: 'meh' }]],
    ['room:settings', [{}]],
    ['room:settings', [{ skipThreshold: 5 }]],
    ['member:kick', [{ userId: ['a'] }]],
    ['time:sync', [{ t0: 'now' }]],
    ['time:sync', [{ t0: 1 }, 'extra-arg']],
    ['skip:vote', [[]]],
  ];

  it.each(cases)('%s %j → VALIDATION', async (event, args) => {
    const res = (await rawCall(member, event, args)) as { ok: boolean; error?: { code: string; message: string } };
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(res.error?.message).not.toMatch(/at .*\.ts|Error:/); // no stack, no internals
  });

  it('an event sent without an ack is ignored and the socket keeps working', async () => {
    const untyped = member as unknown as { emit(e: string, ...args: unknown[]): void };
    untyped.emit('queue:add', { trackId: 't1' });
    untyped.emit('queue:add');
    const ts = await ok(member, 'time:sync', { t0: 1 });
    expect(ts.t0).toBe(1);
  });

  it('an empty-payload event may omit the payload', async () => {
    const res = (await rawCall(member, 'room:sync', [])) as { ok: boolean };
    expect(res.ok).toBe(true);
  });
});

describe('payload size', () => {
  it('an event over maxPayloadBytes gets VALIDATION "payload too large"', async () => {
    const g = await server.guest('Wordy');
    const s = await server.connect(g.token);
    const limit = server.deps.config.maxPayloadBytes;
    const res = await call(s, 'queue:add', { trackId: 'x'.repeat(limit + 100) });
    expect(res).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'payload too large' } });
    expect(s.connected).toBe(true);
  });

  it('a far larger frame is cut at the transport; the server keeps serving others', async () => {
    const g = await server.guest('Big');
    const big = await server.connect(g.token);
    const closed = new Promise<string>((resolve) => big.once('disconnect', resolve));
    big.emit('queue:add', { trackId: 'x'.repeat(server.deps.config.maxPayloadBytes * 4) } as never, () => undefined);
    expect(await closed).toMatch(/transport/);
    expect((await ok(member, 'time:sync', { t0: 2 })).t0).toBe(2);
  });
});

describe('rate limits', () => {
  it('a socket over its budget gets RATE_LIMITED; other sockets are unaffected', async () => {
    const limited = await startServer({ config: { rateLimitPoints: 5, rateLimitDurationS: 60 } });
    const a = await limited.connect((await limited.guest('A')).token);
    const b = await limited.connect((await limited.guest('B')).token);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => call(a, 'time:sync', { t0: i })));
    const codes = results.map((r) => (r.ok ? 'OK' : r.error.code));
    expect(codes.filter((c) => c === 'OK')).toHaveLength(5);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(3);
    expect((await call(b, 'time:sync', { t0: 9 })).ok).toBe(true);
  });
});

describe('origins', () => {
  it('a browser origin outside CHORUS_ORIGINS is refused; a listed one is accepted', async () => {
    const strict = await startServer({ config: { origins: ['https://chorus.example'] } });
    const g = await strict.guest('O');
    const handshake = (origin: string) =>
      fetch(`${strict.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } }).then((r) => r.status);
    expect(await handshake('https://evil.example')).toBe(403);
    expect(await handshake('https://chorus.example')).toBe(200);
    // Non-browser clients (no Origin header) are not subject to the check.
    const s = await strict.connect(g.token);
    await waitFor(() => s.connected, { what: 'connected' });
  });
});
