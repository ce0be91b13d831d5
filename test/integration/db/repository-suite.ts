/**
 * One repository suite, run over every driver (PGlite always, Postgres when DATABASE_URL is set),
 * the way drizzle runs one suite over PGlite and postgres-js.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/repositories/types.ts';
import { generateCatalog } from '../../../server/catalog/generate.ts';
import { AppError } from '../../../server/errors.ts';
import { makeInteraction, makeRoom, makeTrack, uid } from './fixtures.ts';

export interface SuiteTarget {
  open(): Promise<Database>;
  /** Raw SQL on the same database, for checks the repositories do not expose. */
  query?: ((sql: string) => Promise<Record<string, unknown>[]>) | undefined;
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof AppError ? e.code : e),
  );

export function repositorySuite(kind: Database['kind'], target: SuiteTarget): void {
  let db: Database;

  beforeAll(async () => {
    db = await target.open();
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('migrations', () => {
    it('apply at open and leave an empty, working database', async () => {
      expect(db.kind).toBe(kind);
      expect(await db.ping()).toBe(true);
      expect(await db.repos.tracks.count()).toBe(0);
      expect(await db.repos.interactions.count()).toBe(0);
      expect(await db.repos.rooms.listOpen()).toEqual([]);
    });

    // On Postgres the second open meets the same database, so applied migrations must be skipped.
    it('are idempotent: opening again works', async () => {
      const again = await target.open();
      try {
        expect(await again.ping()).toBe(true);
      } finally {
        await again.close();
      }
    });

    it.runIf(target.query)('install pg_trgm and store jsonb as objects, not strings', async () => {
      const ext = await target.query!(`select extname from pg_extension where extname = 'pg_trgm'`);
      expect(ext).toHaveLength(1);
      const room = makeRoom();
      await db.repos.rooms.create(room);
      const rows = await target.query!(`select jsonb_typeof(settings) as t from rooms where id = '${room.id}'`);
      expect(rows[0]?.['t']).toBe('object');
    });
  });

  describe('users', () => {
    it('creates a guest and reads it back', async () => {
      const user = await db.repos.users.create('Ada');
      expect(user.displayName).toBe('Ada');
      expect(await db.repos.users.get(user.id)).toEqual(user);
      expect(await db.repos.users.get('u_nobody')).toBeNull();
    });
  });

  describe('rooms', () => {
    it('create → load and loadByCode give back exactly the same state', async () => {
      const room = makeRoom();
      await db.repos.rooms.create(room);
      expect(await db.repos.rooms.load(room.id)).toEqual(room);
      expect(await db.repos.rooms.loadByCode(room.code)).toEqual(room);
      expect(await db.repos.rooms.load('room_missing')).toBeNull();
      expect(await db.repos.rooms.loadByCode('NOPE42')).toBeNull();
    });

    it('refuses a taken code with CONFLICT', async () => {
      const room = makeRoom();
      await db.repos.rooms.create(room);
      expect(await code(db.repos.rooms.create(makeRoom({ code: room.code })))).toBe('CONFLICT');
    });

    it('save replaces members, queue, playback and settings in one version step', async () => {
      const room = makeRoom();
      await db.repos.rooms.create(room);
      const next = {
        ...room,
        version: 2,
        hostId: 'u_carol',
        members: [
          { userId: 'u_carol', displayName: 'Carol', role: 'host' as const, connected: true, joinedAt: room.createdAt + 99, disconnectedAt: null, banned: false },
          { ...room.members[0]!, role: 'member' as const, connected: false, disconnectedAt: room.createdAt + 500 },
        ],
        queue: [room.queue[1]!, { ...room.queue[0]!, votes: {} }, { ...room.queue[0]!, id: 'q3', autofill: true }],
        playback: { trackId: null, status: 'idle' as const, positionMs: 0, at: room.createdAt + 1000, durationMs: null, addedBy: null, autofill: false },
        settings: { ...room.settings, guestControls: true, mood: undefined },
        skipVotes: [],
      };
      await db.repos.rooms.save(next, 1, { type: 'host:transfer', actorId: 'u_host', payload: { userId: 'u_carol' } });
      expect(await db.repos.rooms.load(room.id)).toEqual(next);

      // An emptied queue and member list survive too.
      const empty = { ...next, version: 3, members: [], queue: [], closedAt: room.createdAt + 2000 };
      await db.repos.rooms.save(empty, 2, { type: 'room:close', actorId: null, payload: undefined });
      expect(await db.repos.rooms.load(room.id)).toEqual(empty);
    });

    it('save from a stale version is a CONFLICT and changes nothing', async () => {
      const room = makeRoom();
      await db.repos.rooms.create(room);
      const v2 = { ...room, version: 2, name: 'renamed' };
      await db.repos.rooms.save(v2, 1, { type: 'room:settings', actorId: 'u_host', payload: {} });
      const stale = { ...room, version: 2, name: 'lost update', queue: [] };
      expect(await code(db.repos.rooms.save(stale, 1, { type: 'queue:remove', actorId: 'u_bob', payload: {} }))).toBe('CONFLICT');
      expect(await db.repos.rooms.load(room.id)).toEqual(v2);
    });

    it('save commits the interactions an edit caused in the same transaction, or none of them', async () => {
      const room = makeRoom();
      await db.repos.rooms.create(room);
      const caused = [makeInteraction({ roomId: room.id, type: 'queue_add' })];
      await db.repos.rooms.save({ ...room, version: 2 }, 1, { type: 'queue:add', actorId: 'u_host', payload: {} }, caused);
      expect(await db.repos.interactions.count({ roomId: room.id })).toBe(1);
      // A stale save is refused as a whole: its interactions are not stored either.
      const lost = [makeInteraction({ roomId: room.id, type: 'like' })];
      expect(await code(db.repos.rooms.save({ ...room, version: 2 }, 1, { type: 'x', actorId: null, payload: null }, lost))).toBe('CONFLICT');
      expect(await db.repos.interactions.count({ roomId: room.id })).toBe(1);
    });

    it('of two concurrent saves from the same version exactly one wins', async () => {
      const room = makeRoom();
      await db.repos.rooms.create(room);
      const results = await Promise.all(
        ['a', 'b'].map((n) => code(db.repos.rooms.save({ ...room, version: 2, name: n }, 1, { type: 'x', actorId: null, payload: n }))),
      );
      expect(results.sort()).toEqual(['CONFLICT', 'resolved']);
      const stored = await db.repos.rooms.load(room.id);
      expect(stored?.version).toBe(2);
    });

    it('save writes the areas a transition changed: a queue reorder, removal and add round-trip, the rest stays', async () => {
      const room = makeRoom();
      await db.repos.rooms.create(room);
      const [first, second] = room.queue;
      const added = { ...first!, id: 'q-new', trackId: 'trk-new', votes: { u_bob: 1 as const } };
      const v2 = { ...room, version: 2, queue: [second!, added] };
      await db.repos.rooms.save(v2, 1, { type: 'queue:reorder', actorId: 'u_host', payload: {} }, [], { changed: ['queue'] });
      expect(await db.repos.rooms.load(room.id)).toEqual(v2);
      // Only playback changed: members and queue in the stored row are the ones written before.
      const v3 = { ...v2, version: 3, playback: { ...v2.playback, status: 'paused' as const, positionMs: 1234.5 } };
      await db.repos.rooms.save(v3, 2, { type: 'playback:pause', actorId: 'u_host', payload: undefined }, [], { changed: ['playback'] });
      expect(await db.repos.rooms.load(room.id)).toEqual(v3);
      // A member leaves and another joins, in one save.
      const v4 = { ...v3, version: 4, members: [v3.members[0]!, { ...v3.members[0]!, userId: 'u_dave', displayName: 'Dave', role: 'member' as const }] };
      await db.repos.rooms.save(v4, 3, { type: 'room:join', actorId: 'u_dave', payload: {} }, [], { changed: ['members'] });
      expect(await db.repos.rooms.load(room.id)).toEqual(v4);
    });

    it('save and append queue interactions in the outbox when asked, in the same statement', async () => {
      const room = makeRoom();
      await db.repos.rooms.create(room);
      const before = await db.repos.outbox.count();
      const caused = [makeInteraction({ roomId: room.id, type: 'queue_add' })];
      await db.repos.rooms.save({ ...room, version: 2 }, 1, { type: 'queue:add', actorId: 'u_host', payload: {} }, caused, { outbox: true });
      expect(await db.repos.rooms.save({ ...room, version: 2 }, 1, { type: 'x', actorId: null, payload: null }, [makeInteraction({ roomId: room.id })], { outbox: true }).catch((e: AppError) => e.code)).toBe('CONFLICT');
      const liked = [makeInteraction({ roomId: room.id }), makeInteraction({ roomId: room.id })];
      expect(await db.repos.interactions.append(liked, { outbox: true })).toBe(2);
      expect(await db.repos.interactions.append(liked, { outbox: true })).toBe(0);
      expect(await db.repos.outbox.count()).toBe(before + 3);
      await db.repos.outbox.remove([...caused, ...liked].map((i) => i.id));
      expect(await db.repos.outbox.count()).toBe(before);
    });

    it('save of an unknown room is NOT_FOUND', async () => {
      expect(await code(db.repos.rooms.save(makeRoom(), 1, { type: 'x', actorId: null, payload: null }))).toBe('NOT_FOUND');
    });

    it('listOpen rebuilds every open room and skips closed ones', async () => {
      const open = [makeRoom(), makeRoom({ queue: [], skipVotes: [] })];
      const closed = makeRoom({ closedAt: 1_760_000_100_000 });
      for (const r of [...open, closed]) await db.repos.rooms.create(r);
      const listed = await db.repos.rooms.listOpen();
      for (const r of open) expect(listed.find((x) => x.id === r.id)).toEqual(r);
      expect(listed.find((x) => x.id === closed.id)).toBeUndefined();
    });
  });

  describe('interactions', () => {
    it('append is idempotent by id: a replayed record is counted once', async () => {
      const roomId = uid('room');
      const batch = [makeInteraction({ roomId }), makeInteraction({ roomId, type: 'skip', weight: 2.5 }), makeInteraction({ roomId, userId: 'u_bob' })];
      expect(await db.repos.interactions.append(batch)).toBe(3);
      expect(await db.repos.interactions.append([batch[1]!, makeInteraction({ roomId }), batch[1]!])).toBe(1);
      expect(await db.repos.interactions.append([])).toBe(0);
      expect(await db.repos.interactions.count({ roomId })).toBe(4);
    });

    it('list replays in append order, filtered, with an offset cursor, records unchanged', async () => {
      const roomId = uid('room');
      const records = Array.from({ length: 7 }, (_, i) =>
        makeInteraction({ roomId, userId: i % 2 ? 'u_odd' : 'u_even', createdAt: 1_760_000_000_000 - i, weight: i === 3 ? 0.5 : undefined }),
      );
      // Drop undefined keys: the record as a producer would build it.
      const clean = records.map((r) => JSON.parse(JSON.stringify(r)) as typeof r);
      await db.repos.interactions.append(clean);
      expect(await db.repos.interactions.list({ roomId, limit: 100 })).toEqual(clean);
      const page1 = await db.repos.interactions.list({ roomId, limit: 4 });
      const page2 = await db.repos.interactions.list({ roomId, limit: 4, after: 4 });
      expect([...page1, ...page2]).toEqual(clean);
      expect(await db.repos.interactions.list({ roomId, userId: 'u_odd', limit: 100 })).toEqual(clean.filter((r) => r.userId === 'u_odd'));
      // Stored from a time on (a lost-stream replay): createdAt descends with i here.
      expect(await db.repos.interactions.list({ roomId, createdFrom: 1_760_000_000_000 - 2, limit: 100 })).toEqual(clean.slice(0, 3));
      const global = makeInteraction({ roomId: null });
      await db.repos.interactions.append([global]);
      expect(await db.repos.interactions.list({ userId: global.userId, limit: 1_000 })).toContainEqual(global);
    });
  });

  describe('tracks', () => {
    const catalog = generateCatalog(1200, 7);
    const famous = [
      makeTrack({ id: 't_bohemian', title: 'Bohemian Rhapsody - Remastered 2011', artist: 'Queen', popularity: 80 }),
      makeTrack({ id: 't_rapsody1', title: 'Power', artist: 'Rapsody', genre: 'hip-hop', popularity: 60 }),
      makeTrack({ id: 't_rapsody2', title: 'OooWee', artist: 'Rapsody', genre: 'hip-hop', popularity: 61 }),
      makeTrack({ id: 't_odd', title: '100% Pure_Love', artist: 'Percent', genre: 'pop', popularity: null }),
    ];

    beforeAll(async () => {
      expect(await db.repos.tracks.insertMany([...catalog, ...famous])).toBe(catalog.length + famous.length);
    });

    it('insertMany stores every field and upserts on id', async () => {
      expect(await db.repos.tracks.count()).toBe(catalog.length + famous.length);
      expect(await db.repos.tracks.get(catalog[0]!.id)).toEqual(catalog[0]);
      expect(await db.repos.tracks.get('t_odd')).toEqual(famous[3]);
      const renamed = { ...catalog[1]!, title: 'Renamed' };
      expect(await db.repos.tracks.insertMany([renamed, renamed])).toBe(1);
      expect(await db.repos.tracks.get(renamed.id)).toEqual(renamed);
      await db.repos.tracks.insertMany([catalog[1]!]);
      expect(await db.repos.tracks.count()).toBe(catalog.length + famous.length);
    });

    it('insertMany is all or nothing across chunks', async () => {
      const before = await db.repos.tracks.count();
      const fresh = generateCatalog(1300, 99).map((t) => ({ ...t, id: `x_${t.id}` }));
      fresh[1100] = { ...fresh[1100]!, title: null as unknown as string }; // NOT NULL violation in the 3rd chunk
      await expect(db.repos.tracks.insertMany(fresh)).rejects.toThrow();
      expect(await db.repos.tracks.count()).toBe(before);
    });

    it('getMany keeps the requested order and drops unknown ids', async () => {
      const ids = [catalog[5]!.id, 'missing', catalog[2]!.id, catalog[5]!.id];
      expect((await db.repos.tracks.getMany(ids)).map((t) => t.id)).toEqual([catalog[5]!.id, catalog[2]!.id]);
      expect(await db.repos.tracks.getMany([])).toEqual([]);
    });

    it('search tolerates typos in title and artist', async () => {
      const [first] = await db.repos.tracks.search({ q: 'bohemain rapsody', limit: 5 });
      expect(first?.id).toBe('t_bohemian');
      expect((await db.repos.tracks.search({ q: 'Qeen', limit: 5 }))[0]?.id).toBe('t_bohemian');
      expect((await db.repos.tracks.search({ q: 'rhapsody', limit: 5 }))[0]?.id).toBe('t_bohemian');
      const byArtist = await db.repos.tracks.search({ q: 'rapsody', genre: 'hip-hop', limit: 5 });
      expect(byArtist.map((t) => t.id)).toEqual(['t_rapsody2', 't_rapsody1']);
    });

    it('search treats LIKE wildcards in the query literally', async () => {
      expect((await db.repos.tracks.search({ q: '100%', limit: 3 }))[0]?.id).toBe('t_odd');
      expect(await db.repos.tracks.search({ q: '%%%', limit: 3 })).toEqual([]);
    });

    it('without q filters by genre, most popular first, within the limit', async () => {
      const jazz = await db.repos.tracks.search({ genre: 'Jazz', limit: 15 });
      expect(jazz).toHaveLength(15);
      expect(jazz.every((t) => t.genre === 'jazz')).toBe(true);
      const pops = jazz.map((t) => t.popularity ?? -1);
      expect(pops).toEqual([...pops].sort((a, b) => b - a));
      expect(await db.repos.tracks.search({ q: '  ', limit: 3 })).toHaveLength(3);
    });

    it('genres counts tracks per genre', async () => {
      const genres = await db.repos.tracks.genres();
      const total = genres.reduce((s, g) => s + g.count, 0);
      expect(total).toBe(catalog.length + famous.length);
      expect(genres.length).toBeGreaterThanOrEqual(8);
    });
  });
}
