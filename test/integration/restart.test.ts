/**
 * Issue 2 §3 / "Done when": stop and start the server on the same data (PGlite on disk) and the room,
 * its members (now disconnected, seats kept), its queue and its playback are still there.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RoomSnapshot } from '../../server/rooms/types.ts';
import { ok, startServer } from '../helpers/server.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** What must survive a restart: everything but the version and who is connected right now. */
const durable = (s: RoomSnapshot) => ({
  ...s,
  version: undefined,
  members: s.members.map(({ connected: _c, ...m }) => m),
});

describe('restart', () => {
  it('keeps rooms, members, queue and playback', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chorus-restart-'));
    dirs.push(dataDir);

    const first = await startServer({ dataDir, config: { rateLimitPoints: 10_000 } });
    const ada = await first.guest('Ada');
    const bob = await first.guest('Bob');
    const created = await first.post('/api/rooms', { name: 'Survivor' }, ada.token);
    const { code, roomId } = created.body as { code: string; roomId: string };
    const host = await first.connect(ada.token);
    const guest = await first.connect(bob.token);
    await ok(host, 'room:join', { code });
    await ok(guest, 'room:join', { code });
    await ok(guest, 'queue:add', { trackId: 't1' });
    const second = await ok(host, 'queue:add', { trackId: 't2' });
    await ok(host, 'queue:add', { trackId: 't3' });
    await ok(guest, 'queue:vote', { itemId: second.item.id, value: 1 });
    await ok(host, 'room:settings', { queueMode: 'votes', mood: 'party' });
    await ok(host, 'playback:play', {});
    await ok(host, 'playback:seek', { positionMs: 42_000 });
    await ok(host, 'playback:pause', {});
    const before = await ok(guest, 'room:sync', {});
    expect(before.queue).toHaveLength(2);
    await first.close();

    const again = await startServer({ dataDir, config: { rateLimitPoints: 10_000 } });
    expect(again.app.rooms.openRoomCount()).toBe(1);
    const restored = await again.app.rooms.get(roomId);
    expect(restored?.members.map((m) => [m.userId, m.connected])).toEqual([
      [ada.userId, false],
      [bob.userId, false],
    ]);

    const back = await again.connect(bob.token); // tokens outlive the process (same secret)
    const after = await ok(back, 'room:join', { code });
    expect(durable(after)).toEqual(durable(before));
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.playback).toMatchObject({ trackId: 't2', status: 'paused', positionMs: before.playback.positionMs });
    expect(before.playback.positionMs).toBeGreaterThanOrEqual(42_000);
    expect(after.members.find((m) => m.userId === bob.userId)?.connected).toBe(true);
    expect(after.members.find((m) => m.userId === ada.userId)).toMatchObject({ connected: false, role: 'host' });
    // Edits continue from the stored version.
    const add = await ok(back, 'queue:add', { trackId: 't4' });
    expect(add.version).toBe(after.version + 1);
  });
});
