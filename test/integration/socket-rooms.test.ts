/**
 * Issue 2 "Done when", over real sockets on port 0: two guests create and join a room, queue, vote,
 * react, the host drives playback, members are refused host actions, and every member sees the
 * broadcasts with rising, gap-free versions. Moderation (kick, ban, host transfer) too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RoomSnapshot } from '../../server/rooms/types.ts';
import {
  call,
  ok,
  record,
  startServer,
  versionsOf,
  waitFor,
  type Received,
  type TestClient,
  type TestServer,
} from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ config: { rateLimitPoints: 10_000 } });
});

interface Party {
  code: string;
  roomId: string;
  host: TestClient;
  guest: TestClient;
  hostId: string;
  guestId: string;
  hostSeen: Received[];
  guestSeen: Received[];
  joined: RoomSnapshot;
}

/** A room made over HTTP by one guest, joined over sockets by that guest (host) and a second one. */
async function party(): Promise<Party> {
  const ada = await server.guest('Ada');
  const bob = await server.guest('Bob');
  const created = await server.post('/api/rooms', { name: 'Friday' }, ada.token);
  expect(created.status).toBe(201);
  const { roomId, code } = created.body as { roomId: string; code: string };
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
  const host = await server.connect(ada.token);
  const guest = await server.connect(bob.token);
  const hostSeen = record(host);
  const guestSeen = record(guest);
  await ok(host, 'room:join', { code });
  const joined = await ok(guest, 'room:join', { code: code.toLowerCase() }); // codes are case-insensitive
  return { code, roomId, host, guest, hostId: ada.userId, guestId: bob.userId, hostSeen, guestSeen, joined };
}

/** Every versioned event after `from`: non-decreasing, and no version skipped. */
function expectGapFree(seen: readonly Received[], from: number): void {
  const versions = versionsOf(seen).filter((v) => v > from);
  expect(versions.length).toBeGreaterThan(0);
  let last = from;
  for (const v of versions) {
    expect(v === last || v === last + 1, `version ${v} after ${last}`).toBe(true);
    last = v;
  }
}

describe('two guests in one room', () => {
  it('create, join, queue, vote, react, host playback, refusals, time sync, rising versions', async () => {
    const p = await party();
    expect(p.joined.roomId).toBe(p.roomId);
    expect(p.joined.members).toEqual([
      { userId: p.hostId, displayName: 'Ada', role: 'host', connected: true },
      { userId: p.guestId, displayName: 'Bob', role: 'member', connected: true },
    ]);
    expect(p.joined.hostId).toBe(p.hostId);
    expect(p.joined.playback.status).toBe('idle');
    expect(p.joined.settings).toMatchObject({ guestControls: false, queueMode: 'fifo' });
    await waitFor(() => p.hostSeen.some((r) => r.event === 'room:members' && (r.payload as { members: unknown[] }).members.length === 2), {
      what: 'host sees the guest join',
    });

    // Queue: both add; an unknown track is NOT_FOUND; malformed input is VALIDATION naming the field.
    const a = await ok(p.guest, 'queue:add', { trackId: 't1' });
    expect(a.item).toMatchObject({ trackId: 't1', addedBy: p.guestId, votes: 0 });
    const b = await ok(p.host, 'queue:add', { trackId: 't2' });
    expect(b.version).toBeGreaterThan(a.version);
    expect(await call(p.guest, 'queue:add', { trackId: 'no-such-track' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const bad = await call(p.guest, 'queue:add', { trackId: 42 as unknown as string });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(!bad.ok && bad.error.message).toContain('trackId');

    await ok(p.guest, 'queue:vote', { itemId: b.item.id, value: 1 });
    await ok(p.host, 'queue:vote', { itemId: a.item.id, value: -1 });
    await ok(p.guest, 'track:react', { trackId: 't1', reaction: 'like' });

    // Playback is the host's; a member gets FORBIDDEN.
    expect(await call(p.guest, 'playback:play', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const played = await ok(p.host, 'playback:play', {});
    expect(played.playback).toMatchObject({ trackId: 't1', status: 'playing' });
    const paused = await ok(p.host, 'playback:pause', {});
    expect(paused.playback.status).toBe('paused');
    const seeked = await ok(p.host, 'playback:seek', { positionMs: 30_000 });
    expect(seeked.playback).toMatchObject({ positionMs: 30_000 });
    const skipped = await ok(p.host, 'playback:skip', {});
    expect(skipped.playback.trackId).toBe('t2');
    for (const event of ['playback:pause', 'playback:skip'] as const) {
      expect(await call(p.guest, event, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await call(p.guest, 'playback:seek', { positionMs: 1 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // Unknown room code.
    expect(await call(p.guest, 'room:join', { code: 'ZZZZZZ' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    // Time sync: t0 echoed, server receive ≤ send, both on the same clock as this machine.
    const t0 = Date.now();
    const ts = await ok(p.guest, 'time:sync', { t0 });
    const t3 = Date.now();
    expect(ts.t0).toBe(t0);
    expect(ts.t1).toBeLessThanOrEqual(ts.t2);
    expect(ts.t1).toBeGreaterThanOrEqual(t0 - 5);
    expect(ts.t2).toBeLessThanOrEqual(t3 + 5);

    // Both members saw the queue and playback broadcasts, versions rising without gaps.
    const final = skipped.version;
    for (const seen of [p.hostSeen, p.guestSeen]) {
      await waitFor(() => versionsOf(seen).includes(final), { what: `version ${final} broadcast` });
      for (const event of ['queue:updated', 'playback:updated']) {
        const vs = versionsOf(seen, event);
        expect(vs.length, event).toBeGreaterThan(0);
        expect([...vs].sort((x, y) => x - y)).toEqual(vs);
      }
      expectGapFree(seen, p.joined.version);
    }
    const sync = await ok(p.guest, 'room:sync', {});
    expect(sync.version).toBe(final);
    expect(sync.queue.map((i) => i.trackId)).toEqual([]);
    expect(sync.playback).toMatchObject({ trackId: 't2', status: 'playing' });
  });

  it('a member may remove only their own queue items; the host may remove any', async () => {
    const p = await party();
    const mine = await ok(p.guest, 'queue:add', { trackId: 't3' });
    const hosts = await ok(p.host, 'queue:add', { trackId: 't4' });
    expect(await call(p.guest, 'queue:remove', { itemId: hosts.item.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await ok(p.guest, 'queue:remove', { itemId: mine.item.id });
    const other = await ok(p.guest, 'queue:add', { trackId: 't5' });
    await ok(p.host, 'queue:remove', { itemId: other.item.id });
    const moved = await ok(p.host, 'queue:add', { trackId: 't6' });
    await ok(p.host, 'queue:move', { itemId: moved.item.id, toIndex: 0 });
    const snap = await ok(p.guest, 'room:sync', {});
    expect(snap.queue.map((i) => i.trackId)).toEqual(['t6', 't4']);
  });

  it('skip votes skip the track once they reach the threshold', async () => {
    const p = await party();
    await ok(p.host, 'queue:add', { trackId: 't1' });
    await ok(p.host, 'queue:add', { trackId: 't2' });
    await ok(p.host, 'playback:play', {});
    const vote = await ok(p.guest, 'skip:vote', {});
    // 2 connected × 0.5 = 1 vote needed.
    expect(vote).toMatchObject({ skipped: true });
    const snap = await ok(p.host, 'room:sync', {});
    expect(snap.playback.trackId).toBe('t2');
  });

  it('settings changes reach everyone as a room:snapshot', async () => {
    const p = await party();
    expect(await call(p.guest, 'room:settings', { guestControls: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const res = await ok(p.host, 'room:settings', { guestControls: true, mood: 'chill' });
    expect(res.settings).toMatchObject({ guestControls: true, mood: 'chill' });
    await waitFor(() => p.guestSeen.find((r) => r.event === 'room:snapshot' && (r.payload as RoomSnapshot).version === res.version), {
      what: 'room:snapshot',
    });
    // Guest controls on: the member may now drive playback.
    await ok(p.guest, 'queue:add', { trackId: 't7' });
    expect((await ok(p.guest, 'playback:play', {})).playback.status).toBe('playing');
  });

  it('kick (with and without ban) removes the member and tells them', async () => {
    const p = await party();
    // Kick without ban: told, taken out of the room, may come back.
    await ok(p.host, 'member:kick', { userId: p.guestId });
    await waitFor(() => p.guestSeen.find((r) => r.event === 'member:kicked'), { what: 'member:kicked' });
    expect(p.guestSeen.find((r) => r.event === 'member:kicked')?.payload).toEqual({ roomId: p.roomId, ban: false });
    expect(await call(p.guest, 'queue:add', { trackId: 't1' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await ok(p.guest, 'room:join', { code: p.code });

    // Ban: cannot come back.
    await ok(p.host, 'member:kick', { userId: p.guestId, ban: true });
    await waitFor(() => p.guestSeen.filter((r) => r.event === 'member:kicked').length === 2, { what: 'second kick' });
    expect(p.guestSeen.filter((r) => r.event === 'member:kicked')[1]?.payload).toEqual({ roomId: p.roomId, ban: true });
    expect(await call(p.guest, 'room:join', { code: p.code })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const snap = await ok(p.host, 'room:sync', {});
    expect(snap.members.map((m) => m.userId)).toEqual([p.hostId]);
    // Kicked members hear nothing more from the room.
    const before = p.guestSeen.length;
    await ok(p.host, 'queue:add', { trackId: 't2' });
    await waitFor(() => versionsOf(p.hostSeen).includes(snap.version + 1), { what: 'host sees own add' });
    expect(p.guestSeen.length).toBe(before);
    // Only the host may kick.
    expect(await call(p.guest, 'member:kick', { userId: p.hostId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('host transfer moves the controls', async () => {
    const p = await party();
    const res = await ok(p.host, 'host:transfer', { userId: p.guestId });
    for (const seen of [p.hostSeen, p.guestSeen]) {
      await waitFor(() => seen.find((r) => r.event === 'host:changed' && (r.payload as { version: number }).version === res.version), {
        what: 'host:changed',
      });
      expect(seen.find((r) => r.event === 'host:changed')?.payload).toEqual({ version: res.version, hostId: p.guestId });
    }
    expect(await call(p.host, 'playback:play', { trackId: 't1' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(p.host, 'host:transfer', { userId: p.hostId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await ok(p.guest, 'playback:play', { trackId: 't1' })).playback).toMatchObject({ trackId: 't1', status: 'playing' });
  });

  it('room events need a joined room; leave gives the seat up', async () => {
    const p = await party();
    const lone = await server.connect((await server.guest('Cy')).token);
    expect(await call(lone, 'queue:add', { trackId: 't1' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(lone, 'room:sync', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await ok(p.guest, 'room:leave', {});
    await waitFor(() => p.hostSeen.some((r) => r.event === 'room:members' && (r.payload as { members: unknown[] }).members.length === 1), {
      what: 'host sees the guest leave',
    });
    expect(await call(p.guest, 'room:sync', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
