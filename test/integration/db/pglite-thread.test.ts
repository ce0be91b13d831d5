/** The embedded database in its own thread: the same repository suite, errors that keep their codes, and a crash the server rides out. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMORY } from '../../../db/client.ts';
import { openPgliteThread, type ThreadDatabase } from '../../../db/thread/thread-database.ts';
import { AppError } from '../../../server/errors.ts';
import { makeInteraction, makeRoom } from './fixtures.ts';
import { repositorySuite } from './repository-suite.ts';

describe('repositories on PGlite in its own thread', () => {
  repositorySuite('pglite', { open: () => openPgliteThread(MEMORY) });
});

describe('the PGlite thread', () => {
  let dataDir: string;
  let db: ThreadDatabase;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'chorus-thread-'));
    db = await openPgliteThread(dataDir);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('hands back AppErrors with their code, and refuses an argument that cannot cross', async () => {
    const room = makeRoom();
    await db.repos.rooms.create(room);
    const err = await db.repos.rooms.create(room).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CONFLICT');
    const relay = await db.repos.outbox.relay(Date.now(), 10, async () => undefined).catch((e: unknown) => e);
    expect((relay as AppError).code).toBe('INTERNAL');
    expect(await db.ping()).toBe(true);
  });

  it('after a crash, calls in flight fail UNAVAILABLE and the next call reopens the same data', { timeout: 120_000 }, async () => {
    const room = makeRoom();
    await db.repos.rooms.create(room);
    const acked = makeInteraction({ roomId: room.id });
    await db.repos.interactions.append([acked]);
    const inFlight = db.repos.interactions.count({ roomId: room.id });
    await db.kill();
    const outcome = await inFlight.then(
      () => 'answered before the crash',
      (e: unknown) => (e instanceof AppError ? e.code : String(e)),
    );
    expect(['UNAVAILABLE', 'answered before the crash']).toContain(outcome);
    // What was acknowledged before the crash is there after it.
    expect(await db.repos.rooms.load(room.id)).toEqual(room);
    expect(await db.repos.interactions.list({ roomId: room.id, limit: 10 })).toEqual([acked]);
  });
});
