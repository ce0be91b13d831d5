/**
 * GET /metrics times every acked client event (chorus_socket_event_duration_seconds): by event and by
 * outcome, over real sockets. An event sent without an ack is refused silently and not timed.
 */
import { beforeAll, expect, it } from 'vitest';
import { call, ok, rawCall, startServer, TEST_TRACKS, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ config: { rateLimitPoints: 10_000 } });
});

const NAME = 'chorus_socket_event_duration_seconds';

/** `<NAME>_<part>` of the series with exactly these labels (besides `le`), from the text format. */
function series(text: string, part: 'count' | 'sum', labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== `${NAME}_${part}`) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.keys(got).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

it('times each acked event by name and outcome, from its handler to its ack', async () => {
  const ada = await server.guest('Ada');
  const { code } = (await server.post('/api/rooms', { name: 'Timed' }, ada.token)).body as { code: string };
  const host = await server.connect(ada.token);
  await ok(host, 'room:join', { code });
  await ok(host, 'queue:add', { trackId: TEST_TRACKS[0]!.id });
  await ok(host, 'queue:add', { trackId: TEST_TRACKS[1]!.id });
  const refused = await call(host, 'queue:add', { trackId: 42 as unknown as string });
  expect(refused.ok).toBe(false);
  // No ack: nobody to answer, nothing timed.
  (host as unknown as { emit(event: string, payload: unknown): void }).emit('queue:add', { trackId: TEST_TRACKS[2]!.id });
  await rawCall(host, 'time:sync', [{ t0: Date.now() }]);

  const text = await (await fetch(`${server.url}/metrics`)).text();
  expect(text).toContain(`# TYPE ${NAME} histogram`);
  expect(series(text, 'count', { event: 'room:join', outcome: 'ok' })).toBe(1);
  expect(series(text, 'count', { event: 'queue:add', outcome: 'ok' })).toBe(2);
  expect(series(text, 'count', { event: 'queue:add', outcome: 'error' })).toBe(1);
  expect(series(text, 'count', { event: 'time:sync', outcome: 'ok' })).toBe(1);
  const sum = series(text, 'sum', { event: 'queue:add', outcome: 'ok' }) ?? NaN;
  // Two durable edits took some time, and far less than the 5 s the calls were allowed.
  expect(sum).toBeGreaterThan(0);
  expect(sum).toBeLessThan(10);
});
