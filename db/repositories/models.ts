/** The model registry (model_snapshots): write a version, list, load one, switch the active one. */
import { and, desc, eq, notInArray, sql } from 'drizzle-orm';
import { modelSnapshots } from '../schema/index.ts';
import type { Db } from './drizzle-db.ts';
import type { ModelRepository, StoredModel, StoredModelInfo } from './types.ts';

const info = {
  version: modelSnapshots.version,
  createdAt: modelSnapshots.createdAt,
  reason: modelSnapshots.reason,
  interactions: modelSnapshots.interactions,
  cursor: modelSnapshots.cursor,
  metrics: modelSnapshots.metrics,
  weights: modelSnapshots.weights,
  active: modelSnapshots.active,
  bytes: modelSnapshots.bytes,
};

export function createModelRepository(db: Db): ModelRepository {
  return {
    async insert(m) {
      return db.transaction(async (tx) => {
        // The new snapshot is what the live learner now descends from.
        await tx.update(modelSnapshots).set({ active: false }).where(eq(modelSnapshots.active, true));
        const [row] = await tx
          .insert(modelSnapshots)
          .values({ ...m, bytes: m.data.byteLength, active: true })
          .returning(info);
        if (!row) throw new Error('insert returned no row');
        return row;
      });
    },
    async list(limit) {
      return db.select(info).from(modelSnapshots).orderBy(desc(modelSnapshots.version)).limit(limit);
    },
    async get(version): Promise<StoredModel | null> {
      const [row] = await db.select().from(modelSnapshots).where(eq(modelSnapshots.version, version)).limit(1);
      return row ? { ...row, data: new Uint8Array(row.data) } : null;
    },
    async active(): Promise<StoredModel | null> {
      const [row] = await db.select().from(modelSnapshots).where(eq(modelSnapshots.active, true)).limit(1);
      return row ? { ...row, data: new Uint8Array(row.data) } : null;
    },
    async activate(version, cursor): Promise<StoredModelInfo | null> {
      return db.transaction(async (tx) => {
        const [exists] = await tx.select(info).from(modelSnapshots).where(eq(modelSnapshots.version, version)).limit(1);
        if (!exists) return null;
        await tx.update(modelSnapshots).set({ active: false }).where(eq(modelSnapshots.active, true));
        // The rolled-back learner resumes from the stream's current end, not from the old snapshot's
        // cursor: replaying what came since would undo the rollback at the next start.
        const [row] = await tx
          .update(modelSnapshots)
          .set({ active: true, cursor })
          .where(eq(modelSnapshots.version, version))
          .returning(info);
        return row ?? null;
      });
    },
    async prune(keep) {
      const newest = await db
        .select({ v: modelSnapshots.version })
        .from(modelSnapshots)
        .orderBy(desc(modelSnapshots.version))
        .limit(keep);
      if (newest.length < keep) return 0;
      const deleted = await db
        .delete(modelSnapshots)
        .where(
          and(
            notInArray(
              modelSnapshots.version,
              newest.map((r) => r.v),
            ),
            eq(modelSnapshots.active, false),
          ),
        )
        .returning({ v: modelSnapshots.version });
      return deleted.length;
    },
    async count() {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(modelSnapshots);
      return row?.n ?? 0;
    },
  };
}
