import type { Db } from './drizzle-db.ts';
import { createInteractionRepository } from './interactions.ts';
import { createModelRepository } from './models.ts';
import { createOutboxRepository } from './outbox.ts';
import { createRoomRepository } from './rooms.ts';
import { createTrackRepository } from './tracks.ts';
import type { Repositories } from './types.ts';
import { createUserRepository } from './users.ts';

/** The same repositories over either driver: db/client.ts hands in a PGlite or postgres.js drizzle. */
export function createRepositories(db: Db): Repositories {
  return {
    users: createUserRepository(db),
    tracks: createTrackRepository(db),
    rooms: createRoomRepository(db),
    interactions: createInteractionRepository(db),
    models: createModelRepository(db),
    outbox: createOutboxRepository(db),
  };
}
