/** A restart with the same data keeps rooms, members, queue, playback, interactions and tracks. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../db/client.ts';
import { generateCatalog } from '../../../server/catalog/generate.ts';
import { seedCatalogIfEmpty } from '../../../server/catalog/seed.ts';
import { makeInteraction, makeRoom } from './fixtures.ts';

describe('PGlite on disk survives a restart', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  // Opens PGlite on disk twice: seconds each on a busy machine.
  it.each([
    ['on the event loop', false],
    ['in its own thread', true],
  ])('reopens with everything that was committed before close (%s)', { timeout: 120_000 }, async (_how, thread) => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'chorus-db-'));
    dirs.push(dataDir);
    const room = makeRoom();
    const saved = { ...room, version: 2, queue: room.queue.slice(1), playback: { ...room.playback, status: 'paused' as const } };
    const interaction = makeInteraction({ roomId: room.id });

    const first = await openDb({ dataDir, thread });
    const user = await first.repos.users.create('Ada');
    await first.repos.rooms.create(room);
    await first.repos.rooms.save(saved, 1, { type: 'playback:pause', actorId: room.hostId, payload: {} });
    await first.repos.interactions.append([interaction]);
    expect(await seedCatalogIfEmpty(first, 300)).toBe(300);
    await first.close();

    const second = await openDb({ dataDir, thread });
    try {
      expect(await second.repos.users.get(user.id)).toEqual(user);
      expect(await second.repos.rooms.listOpen()).toEqual([saved]);
      expect(await second.repos.interactions.list({ roomId: room.id, limit: 10 })).toEqual([interaction]);
      expect(await second.repos.tracks.count()).toBe(300);
      expect(await second.repos.tracks.get('gen_000300')).toEqual(generateCatalog(300)[299]);
      // The catalog is not empty any more: a second start seeds nothing.
      expect(await seedCatalogIfEmpty(second, 300)).toBe(0);
    } finally {
      await second.close();
    }
  });
});
