/** LearnerHost without a thread: cold start from declared taste, coalesced pushes, snapshot round trip. */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { createLearner } from '../../../ml/learner/create-learner.ts';
import type { Interaction } from '../../../ml/types.ts';
import { FULL_EVERY_MS, LearnerHost } from '../../../server/learning/learner-host.ts';
import type { CatalogEntry, RoomContext } from '../../../server/learning/protocol.ts';

const GENRES = ['pop', 'rock', 'jazz', 'metal'];
const catalog: CatalogEntry[] = Array.from({ length: 80 }, (_, i) => ({
  id: `t${i}`,
  title: `Track ${i}`,
  artist: `Artist ${i % 10}`,
  genre: GENRES[i % 4] as string,
  durationMs: 180_000,
  popularity: 100 - i,
  features: { energy: (i % 4) / 4, danceability: 0.5, valence: (i % 7) / 7, tempo: 90 + (i % 4) * 20 },
}));
const MODELS = ['popularity', 'item-knn', 'mf-bpr', 'content', 'group-room'] as const;

async function host(now: () => number = () => 1_700_000_000_000): Promise<LearnerHost> {
  return new LearnerHost(await createLearner({ seed: 3, models: MODELS }), catalog, 5, 'cpu', now);
}

let n = 0;
const like = (userId: string, trackId: string, roomId: string | null = 'r1'): Interaction => ({
  id: `i${n++}`,
  userId,
  roomId,
  trackId,
  type: 'like',
  context: { hour: 20, weekday: 5 },
  createdAt: 1_700_000_000_000 + n,
});

const room: RoomContext = {
  roomId: 'r1',
  version: 3,
  members: [
    { userId: 'ana', displayName: 'Ana' },
    { userId: 'bo', displayName: 'Bo' },
  ],
  strategy: 'fair',
  queued: [],
  current: null,
};

describe('LearnerHost', () => {
  it('serves a cold member by the genres they declared', async () => {
    const h = await host();
    // Others' history makes pop/rock the popular ones.
    h.ingest(catalog.filter((t) => t.genre === 'pop').slice(0, 10).map((t) => like('zed', t.id, null)), 0);
    const plain = h.forUser('newbie', 5).map((i) => i.genre);
    h.setPreferences('newbie', { genres: ['jazz'] });
    const declared = h.forUser('newbie', 5).map((i) => i.genre);
    expect(declared.filter((g) => g === 'jazz').length).toBeGreaterThan(plain.filter((g) => g === 'jazz').length);
    expect(declared.filter((g) => g === 'jazz').length).toBeGreaterThanOrEqual(4);
  });

  it('coalesces a burst into one push per room, listing every learned id once', async () => {
    const h = await host();
    h.setRoom(room);
    h.flush();
    const burst = [like('ana', 't1'), like('bo', 't2'), like('ana', 't3')];
    expect(h.ingest(burst, 123)).toBe(3);
    expect(h.ingest(burst, 124)).toBe(0); // redelivered: learned once
    const pushes = h.flush();
    expect(pushes).toHaveLength(1);
    expect(pushes[0]?.event.learned).toEqual(burst.map((x) => x.id));
    expect(pushes[0]?.publishedAt).toBe(123);
    expect(pushes[0]?.event.version).toBe(3);
    expect(h.flush()).toHaveLength(0);
    expect(h.status()).toMatchObject({ received: 6, learned: 3, lag: 0 });
  });

  it('restores a snapshot into a fresh host with the same recommendations', async () => {
    const a = await host();
    a.setRoom(room);
    for (let i = 0; i < 40; i++) a.ingest([like(i % 2 ? 'ana' : 'bo', `t${(i * 7) % 80}`)], 0);
    const snap = a.snapshot(40);
    const b = await host();
    b.restore(9, snap.data);
    b.setRoom(room);
    expect(b.forUser('ana', 5)).toEqual(a.forUser('ana', 5));
    expect(b.modelVersion()).toBe('9.0');
    expect(snap.cursor).toBe(40);
    expect(snap.interactions).toBe(40);
  });

  it('takes a snapshot when asked and compresses it off the thread: learning after the call is not in it', async () => {
    const a = await host();
    a.setRoom(room);
    for (let i = 0; i < 40; i++) a.ingest([like(i % 2 ? 'ana' : 'bo', `t${(i * 7) % 80}`)], 0);
    const stamp = vi.spyOn(Date, 'now').mockReturnValue(1_795_000_000_000); // snapshots stamp their headers
    const sync = a.snapshot(40);
    const pending = a.snapshotAsync(40);
    stamp.mockRestore();
    a.ingest([like('ana', 't79'), like('ana', 't78')], 0);
    const snap = await pending;
    expect(snap.interactions).toBe(40);
    // The same content as the synchronous form taken just before.
    expect(gunzipSync(snap.data).toString('utf8')).toBe(gunzipSync(sync.data).toString('utf8'));
  });

  it('between full passes a push re-ranks the kept candidates; a full pass regenerates them when due or when the room changes', async () => {
    let now = 1_700_000_000_000;
    const learner = await createLearner({ seed: 3, models: MODELS });
    const h = new LearnerHost(learner, catalog, 5, 'cpu', () => now);
    const retrieve = vi.spyOn(learner, 'retrieve');
    h.setRoom(room);
    h.ingest([like('bo', 't2')], now);
    const full = h.flush()[0]?.event;
    expect(retrieve).toHaveBeenCalledTimes(1);

    // A like a moment later: re-ranked without retrieval, the like listed, the weights moved by learning.
    now += 100;
    const liked = like('ana', full?.items[0]?.trackId ?? 't1');
    h.ingest([liked], now);
    const cheap = h.flush()[0]?.event;
    expect(retrieve).toHaveBeenCalledTimes(1);
    expect(cheap?.learned).toEqual([liked.id]);
    expect(cheap?.items).toHaveLength(5);
    expect(cheap?.members.map((m) => m.userId)).toEqual(['ana', 'bo']);

    // Once FULL_EVERY_MS has passed, the next push regenerates the candidates.
    now += FULL_EVERY_MS;
    h.ingest([like('bo', 't9')], now);
    h.flush();
    expect(retrieve).toHaveBeenCalledTimes(2);

    // A member joining forces a full pass at once.
    now += 10;
    h.setRoom({ ...room, version: 4, members: [...room.members, { userId: 'cy', displayName: 'Cy' }] });
    const joined = h.flush()[0]?.event;
    expect(retrieve).toHaveBeenCalledTimes(3);
    expect(joined?.members.map((m) => m.userId)).toEqual(['ana', 'bo', 'cy']);

    // A queued track leaves the list at once, on a re-rank too.
    now += 10;
    const top = joined?.items[0]?.trackId ?? '';
    h.setRoom({ ...room, version: 5, members: [...room.members, { userId: 'cy', displayName: 'Cy' }], queued: [top] });
    h.ingest([like('cy', 't4')], now);
    const after = h.flush()[0]?.event;
    expect(retrieve).toHaveBeenCalledTimes(3);
    expect(after?.items.map((i) => i.trackId)).not.toContain(top);
  });
});
