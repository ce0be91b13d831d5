/**
 * Issue 2 §8: a property-based storm (fast-check, fixed seed) of random and malformed events against
 * a live server over real sockets — random event names, random JSON, wrong types, huge strings,
 * binary, missing acks, non-object payloads, extra arguments, plus well-formed commands aimed at real
 * rooms, members and queue items. Nothing may crash or reject unhandled, every ack must be typed,
 * and a well-behaved client is still served afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../server/errors.ts';
import { schemas } from '../../server/transport/socket/schemas.ts';
import { ok, rawCall, startServer, type TestClient, type TestServer } from '../helpers/server.ts';

const SEED = 20_240_601;
const RUNS = 25;
const COMMANDS_PER_RUN = 120;
const KNOWN = Object.keys(schemas);
const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

// ── arbitraries ─────────────────────────────────────────────────────────────
/** Placeholders resolved at send time to ids that exist then (queue items, members, the room code). */
const ref = (kind: 'item' | 'user' | 'code') => fc.nat(50).map((n) => `\u0000${kind}:${n}`);

const FIELDS = [
  'code', 'trackId', 'itemId', 'toIndex', 'value', 'positionMs', 'reaction', 'userId', 'ban', 't0',
  'guestControls', 'queueMode', 'skipThreshold', 'maxQueuedPerMember', 'maxMembers', 'autoplay', 'mood', 'activity',
] as const;

const huge = fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'x'.repeat(n));
const plausible = fc.constantFrom<unknown>('t1', 't2', 't3', 'short1', 0, 1, -1, 2, 1000, 'like', 'dislike', 'votes', 'fifo', true, false, 0.5);
const fieldValue = fc.oneof(
  { weight: 6, arbitrary: plausible },
  { weight: 4, arbitrary: fc.oneof(ref('item'), ref('user'), ref('code')) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(null), fc.boolean()) },
  { weight: 1, arbitrary: fc.oneof(fc.array(fc.anything(), { maxLength: 3 }), fc.object({ maxDepth: 2 })) },
  { weight: 1, arbitrary: huge },
);
const shapedPayload = fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 4 });
const payload = fc.oneof(
  { weight: 8, arbitrary: shapedPayload },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  { weight: 1, arbitrary: huge },
);
/** Well-formed commands aimed at what exists: these reach the domain's rules rather than zod's. */
const track = fc.constantFrom('t1', 't2', 't3', 't4', 'short1', 'short2', 'no-such-track');
const wellFormed: Record<string, fc.Arbitrary<unknown>> = {
  'room:join': fc.record({ code: ref('code') }),
  'room:leave': fc.constant({}),
  'room:sync': fc.constant({}),
  'queue:add': fc.record({ trackId: track }),
  'queue:remove': fc.record({ itemId: ref('item') }),
  'queue:move': fc.record({ itemId: ref('item'), toIndex: fc.nat(6) }),
  'queue:vote': fc.record({ itemId: ref('item'), value: fc.constantFrom(-1, 0, 1) }),
  'playback:play': fc.oneof(fc.constant({}), fc.record({ trackId: track })),
  'playback:pause': fc.constant({}),
  'playback:seek': fc.record({ positionMs: fc.nat(400_000) }),
  'playback:skip': fc.constant({}),
  'skip:vote': fc.constant({}),
  'track:react': fc.record({ trackId: track, reaction: fc.constantFrom('like', 'dislike') }),
  'room:settings': fc.record(
    {
      guestControls: fc.boolean(),
      queueMode: fc.constantFrom('fifo', 'votes', 'round-robin'),
      skipThreshold: fc.constantFrom(0.25, 0.5, 1),
      maxQueuedPerMember: fc.integer({ min: 1, max: 5 }),
      maxMembers: fc.integer({ min: 1, max: 10 }),
      autoplay: fc.boolean(),
      mood: fc.constantFrom('chill', 'party'),
    },
    { requiredKeys: ['autoplay'] },
  ),
  'member:kick': fc.record({ userId: ref('user'), ban: fc.boolean() }, { requiredKeys: ['userId'] }),
  'host:transfer': fc.record({ userId: ref('user') }),
  'time:sync': fc.record({ t0: fc.integer({ min: 0 }) }),
};
const validCommand = fc
  .constantFrom(...KNOWN)
  .chain((event) => fc.record({ client: fc.nat(3), event: fc.constant(event), args: wellFormed[event]!.map((p) => [p]), withAck: fc.constant(true) }));

const eventName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...KNOWN) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }).filter((s) => s.length > 0 && !RESERVED.has(s)) },
);
const malformedCommand = fc.record({
  client: fc.nat(3),
  event: eventName,
  // [] = no payload, [p] = normal, [p, extra] = too many arguments
  args: fc.oneof({ weight: 8, arbitrary: payload.map((p) => [p]) }, { weight: 1, arbitrary: fc.constant([]) }, {
    weight: 1,
    arbitrary: fc.tuple(payload, fc.anything({ maxDepth: 1 })).map((t) => [...t]),
  }),
  withAck: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
});
const command = fc.oneof({ weight: 1, arbitrary: validCommand }, { weight: 1, arbitrary: malformedCommand });

// ── harness ─────────────────────────────────────────────────────────────────
let server: TestServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
const stats = { sent: 0, acked: 0, ok: 0, errors: new Map<string, number>(), cut: 0 };

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  server = await startServer({ config: { rateLimitPoints: 1_000_000 } });
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
});

interface Arena {
  code: string;
  clients: TestClient[];
  userIds: string[];
  itemIds: string[];
}

async function arena(): Promise<Arena> {
  const guests = await Promise.all(['H', 'A', 'B', 'C'].map((n) => server.guest(n)));
  const host = guests[0]!;
  const { code } = await server.app.rooms.createRoom({ userId: host.userId, displayName: 'H' }, 'Fuzz');
  const clients = await Promise.all(guests.map((g) => server.connect(g.token)));
  // Three of four join; the last stays outside any room.
  await Promise.all(clients.slice(0, 3).map((c) => ok(c, 'room:join', { code })));
  await ok(clients[0]!, 'queue:add', { trackId: 't1' });
  return { code, clients, userIds: guests.map((g) => g.userId), itemIds: [] };
}

function resolveRefs(value: unknown, a: Arena): unknown {
  if (typeof value === 'string' && value.startsWith('\u0000')) {
    const [kind, n] = value.slice(1).split(':');
    const i = Number(n);
    if (kind === 'code') return i % 5 === 0 ? 'ZZZZZZ' : a.code;
    const pool = kind === 'item' ? a.itemIds : a.userIds;
    return pool.length > 0 ? pool[i % pool.length] : 'none';
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, a));
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, a)]));
  }
  return value;
}

function isTypedAck(res: unknown): boolean {
  if (!res || typeof res !== 'object') return false;
  const r = res as Record<string, unknown>;
  const keys = Object.keys(r).sort().join(',');
  if (r['ok'] === true) return keys === 'data,ok' && r['data'] !== undefined;
  if (r['ok'] !== false || keys !== 'error,ok') return false;
  const e = r['error'] as Record<string, unknown> | null;
  return (
    !!e &&
    Object.keys(e).sort().join(',') === 'code,message' &&
    (ERROR_CODES as readonly unknown[]).includes(e['code']) &&
    typeof e['message'] === 'string'
  );
}

const frameBytes = (event: string, args: unknown[]): number => {
  try {
    return Buffer.byteLength(JSON.stringify([event, ...args]) ?? '');
  } catch {
    return Infinity;
  }
};

/** Failure messages stay readable: huge generated strings are cut. */
const brief = (v: unknown): string => {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text;
};

/** Clients that sent a frame over the cap may be cut by the transport at any moment after. */
const oversized = new WeakSet<TestClient>();

async function send(a: Arena, cmd: Cmd): Promise<void> {
  const index = cmd.client % a.clients.length;
  let client = a.clients[index]!;
  if (!client.connected) {
    // A client cut for an oversized frame is replaced, as a real one would reconnect.
    client = await server.connect((await server.guest('R')).token);
    a.clients[index] = client;
  }
  const args = cmd.args.map((v) => resolveRefs(v, a));
  if (frameBytes(cmd.event, args) > server.deps.config.maxPayloadBytes) oversized.add(client);
  stats.sent++;
  if (!cmd.withAck || !KNOWN.includes(cmd.event)) {
    // No ack to wait for: unknown events are dropped, ack-less known ones are ignored by design.
    (client as unknown as { emit(e: string, ...x: unknown[]): void }).emit(cmd.event, ...args);
    return;
  }
  let res: unknown;
  try {
    res = await rawCall(client, cmd.event, args, 10_000);
  } catch (err) {
    // Only a frame over the transport cap may cost the connection (and with it this ack).
    if (oversized.has(client) && !client.connected) {
      stats.cut++;
      return;
    }
    throw new Error(`${cmd.event} ${brief(args)}: no ack (${String(err)})`);
  }
  stats.acked++;
  if (!isTypedAck(res)) throw new Error(`${cmd.event} ${brief(args)}: untyped ack ${brief(res)}`);
  const r = res as { ok: boolean; data?: { item?: { id?: string } }; error?: { code: string } };
  if (r.ok) {
    stats.ok++;
    if (r.data?.item?.id) a.itemIds.push(r.data.item.id);
    return;
  }
  const code = r.error!.code;
  stats.errors.set(code, (stats.errors.get(code) ?? 0) + 1);
  if (code === 'INTERNAL') throw new Error(`${cmd.event} ${brief(args)}: INTERNAL`);
}

type Cmd = { client: number; event: string; args: unknown[]; withAck: boolean };

describe('fuzz', () => {
  it(`survives ${RUNS * COMMANDS_PER_RUN} random and malformed events with typed acks`, async () => {
    const outcome = await fc.check(
      fc.asyncProperty(fc.array(command, { minLength: COMMANDS_PER_RUN, maxLength: COMMANDS_PER_RUN }), async (cmds) => {
        const a = await arena();
        try {
          // Each client sends its share in order; clients run concurrently.
          await Promise.all(
            [0, 1, 2, 3].map(async (c) => {
              for (const cmd of cmds.filter((x) => x.client % 4 === c)) await send(a, cmd as Cmd);
            }),
          );
        } finally {
          for (const c of a.clients) c.disconnect();
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // fc.assert would print the whole counterexample (megabytes of generated strings): report briefly.
    if (outcome.failed) {
      throw new Error(`fuzz failed (seed ${SEED}, run ${outcome.numRuns}): ${String(outcome.errorInstance)}`);
    }

    // A well-behaved client is still served.
    const g = await server.guest('Polite');
    const { code } = await server.app.rooms.createRoom({ userId: g.userId, displayName: 'Polite' }, 'After');
    const polite = await server.connect(g.token);
    expect((await ok(polite, 'room:join', { code })).code).toBe(code);
    expect((await ok(polite, 'queue:add', { trackId: 't2' })).item.trackId).toBe('t2');
    expect((await ok(polite, 'time:sync', { t0: 7 })).t0).toBe(7);

    expect(unhandled).toEqual([]);
    expect(stats.acked).toBeGreaterThan(RUNS * COMMANDS_PER_RUN * 0.6);
    expect(stats.ok).toBeGreaterThan(0);
    console.info('[fuzz]', { ...stats, errors: Object.fromEntries(stats.errors) });
  }, 120_000);
});
