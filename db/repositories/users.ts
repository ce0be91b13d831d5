import { eq, ne, sql } from 'drizzle-orm';
import { nanoid } from 'nanoid';
import { users } from '../schema/index.ts';
import type { Db } from './drizzle-db.ts';
import type { User, UserRepository } from './types.ts';

export function createUserRepository(db: Db): UserRepository {
  return {
    async create(displayName) {
      const user: User = { id: `u_${nanoid(16)}`, displayName, createdAt: Date.now(), preferences: {} };
      await db.insert(users).values(user);
      return user;
    },
    async get(id) {
      const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
      return row ?? null;
    },
    async setPreferences(id, preferences) {
      const rows = await db.update(users).set({ preferences }).where(eq(users.id, id)).returning({ id: users.id });
      return rows.length > 0;
    },
    async allPreferences() {
      return db
        .select({ id: users.id, preferences: users.preferences })
        .from(users)
        .where(ne(users.preferences, sql`'{}'::jsonb`));
    },
  };
}
