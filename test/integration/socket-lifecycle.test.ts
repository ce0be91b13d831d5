/**
 * What happens without anyone asking: dropped connections keep their seats, recovered sessions get
 * the broadcasts they missed, a dropped host hands over after the grace period, tracks advance on
 * their own, and empty rooms close. Timeouts are shortened through config.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RoomSnapshot } from '../../server/rooms/types.ts';
import { call, ok, record, startServer, waitFor, type Received, type TestServer } from '../helpers/server.ts';

const HOST_GRACE_MS = 300;
const ROOM_IDLE_MS = 400;

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    config: { rateLimitPoints: 10_000, hostGraceMs: HOST_GRACE_MS, roomIdleMs: ROOM_IDLE_MS, maxRooms: 50 },
  });
});

const membersIn = (seen: readonly Received[]) =>
  seen.filter((r) => r.event === 'room:members').map((r) => (r.payload as Pick<RoomSnapshot, 'members'>).members);

async function room(opts: { guestReconnects?: boolean } = {}) {
  const ada = await server.guest('Ada');
  const bob = await server.guest('Bob');
  const { code, roomId } = await server.app.rooms.createRoom({ userId: ada.userId, displayName: 'Ada' }, 'Life');
  const host = await server.connect(ada.token);
  const guest = await server.connect(bob.token, opts.guestReconnects ? { reconnection: true, reconnectionDelay: 200 } : {});
  const hostSeen = record(host);
  const guestSeen = record(guest);
  await ok(host, 'room:join', { code });
  await ok(guest, 'room:join', { code });
  return { code, roomId, ada, bob, host, guest, hostSeen, guestSeen };
}

describe('connections', () => {
  it('a dropped member keeps the seat, shown as disconnected, and gets it back on rejoin', async () => {
    const r = await room();
    r.guest.disconnect();
    await waitFor(() => membersIn(r.hostSeen).some((ms) => ms.some((m) => m.userId === r.bob.userId && !m.connected)), {
      what: 'guest shown disconnected',
    });
    const again = await server.connect(r.bob.token);
    const snap = await ok(again, 'room:join', { code: r.code });
    expect(snap.members.find((m) => m.userId === r.bob.userId)).toMatchObject({ connected: true, role: 'member' });
    expect(snap.members).toHaveLength(2);
  });

  it('a second tab keeps the seat connected when the first one closes', async () => {
    const r = await room();
    const tab2 = await server.connect(r.bob.token);
    await ok(tab2, 'room:join', { code: r.code });
    const firstTab = r.guest.id!;
    r.guest.disconnect();
    // Once the server dropped the socket its disconnect handling is queued on the room; the add after it.
    await waitFor(() => !server.app.io.of('/').sockets.has(firstTab), { what: 'server dropped the first tab' });
    await ok(r.host, 'queue:add', { trackId: 't1' });
    const state = await server.app.rooms.get(r.roomId);
    expect(state?.members.find((m) => m.userId === r.bob.userId)?.connected).toBe(true);
  });

  it('connection state recovery replays missed broadcasts and reconnects the seat', async () => {
    const r = await room({ guestReconnects: true });
    // Drop the transport under the client: it reconnects by itself with its session id.
    (r.guest.io.engine as unknown as { close(): void }).close();
    await waitFor(() => membersIn(r.hostSeen).some((ms) => ms.some((m) => m.userId === r.bob.userId && !m.connected)), {
      what: 'server noticed the drop',
    });
    const added = await ok(r.host, 'queue:add', { trackId: 't2' });
    await waitFor(() => r.guest.connected && r.guest.recovered, { what: 'recovered session' });
    await waitFor(() => r.guestSeen.some((e) => e.event === 'queue:updated' && (e.payload as { version: number }).version === added.version), {
      what: 'missed queue:updated replayed',
    });
    await waitFor(
      async () => (await server.app.rooms.get(r.roomId))?.members.find((m) => m.userId === r.bob.userId)?.connected,
      { what: 'seat reconnected' },
    );
    // Still in the room without a new room:join.
    expect((await ok(r.guest, 'room:sync', {})).version).toBeGreaterThan(added.version);
  });

  it('recovery does not replay the recommendations a dropped member missed (only the latest matters)', async () => {
    const r = await room({ guestReconnects: true });
    (r.guest.io.engine as unknown as { close(): void }).close();
    await waitFor(() => membersIn(r.hostSeen).some((ms) => ms.some((m) => m.userId === r.bob.userId && !m.connected)), {
      what: 'server noticed the drop',
    });
    // Stale lists pushed while the guest was away, then a queue change that must still be replayed.
    const stale = { version: -1, modelVersion: 0, strategy: 'average', items: [], weights: {}, harmony: 0, members: [], learned: ['stale'] };
    for (let i = 0; i < 5; i++) server.app.io.to(r.roomId).emit('recs:updated', stale as never);
    const added = await ok(r.host, 'queue:add', { trackId: 't3' });
    await waitFor(() => r.guest.connected && r.guest.recovered, { what: 'recovered session' });
    await waitFor(() => r.guestSeen.some((e) => e.event === 'queue:updated' && (e.payload as { version: number }).version === added.version), {
      what: 'missed queue:updated replayed',
    });
    const staleHost = r.hostSeen.filter((e) => e.event === 'recs:updated' && (e.payload as { version: number }).version === -1);
    expect(staleHost).toHaveLength(5);
    expect(r.guestSeen.filter((e) => e.event === 'recs:updated' && (e.payload as { version: number }).version === -1)).toEqual([]);
  });
});

describe('timers', () => {
  it('a dropped host hands over to the longest-present connected member after the grace period', async () => {
    const r = await room();
    const droppedAt = Date.now();
    r.host.disconnect();
    const changed = await waitFor(() => r.guestSeen.find((e) => e.event === 'host:changed'), { what: 'host:changed' });
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(HOST_GRACE_MS - 20);
    expect(changed.payload).toMatchObject({ hostId: r.bob.userId });
    // The old host comes back as a member.
    const back = await server.connect(r.ada.token);
    const snap = await ok(back, 'room:join', { code: r.code });
    expect(snap.hostId).toBe(r.bob.userId);
    expect(snap.members.find((m) => m.userId === r.ada.userId)?.role).toBe('member');
  });

  it('tracks advance on their own when they end, recording complete interactions', async () => {
    const r = await room();
    await ok(r.guest, 'queue:add', { trackId: 'short1' });
    await ok(r.guest, 'queue:add', { trackId: 'short2' });
    await ok(r.host, 'playback:play', {});
    const playbacks = () =>
      r.guestSeen.filter((e) => e.event === 'playback:updated').map((e) => (e.payload as RoomSnapshot).playback);
    await waitFor(() => playbacks().some((p) => p.trackId === 'short2'), { what: 'advance to short2' });
    await waitFor(() => playbacks().some((p) => p.status === 'idle'), { what: 'queue ran out' });
    const stored = await server.db.repos.interactions.list({ roomId: r.roomId, limit: 100 });
    const completes = stored.filter((i) => i.type === 'complete').map((i) => i.trackId);
    expect(completes).toEqual(['short1', 'short2']);
  });

  it('an empty room closes after the idle timeout', async () => {
    const r = await room();
    await ok(r.guest, 'room:leave', {});
    r.host.disconnect();
    await waitFor(async () => (await server.app.rooms.summaryByCode(r.code)) === null, {
      what: 'room closed',
      timeoutMs: HOST_GRACE_MS + ROOM_IDLE_MS + 3000,
    });
    const stored = await server.db.repos.rooms.load(r.roomId);
    expect(stored?.closedAt).not.toBeNull();
    const late = await server.connect(r.ada.token);
    expect(await call(late, 'room:join', { code: r.code })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('open rooms are capped: over maxRooms creation is UNAVAILABLE', async () => {
    const capped = await startServer({ config: { maxRooms: 2 } });
    const g = await capped.guest('Cap');
    const host = { userId: g.userId, displayName: 'Cap' };
    await capped.app.rooms.createRoom(host, 'one');
    await capped.app.rooms.createRoom(host, 'two');
    await expect(capped.app.rooms.createRoom(host, 'three')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const res = await capped.post('/api/rooms', { name: 'four' }, g.token);
    expect(res.status).toBe(503);
  });
});
