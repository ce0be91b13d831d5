import { afterAll, beforeAll, describe } from 'vitest';
import { openDb } from '../../../db/client.ts';
import { requireService } from '../../helpers/services.ts';
import { createTestDatabase, type TestDatabase } from './postgres-database.ts';
import { repositorySuite } from './repository-suite.ts';

const pg = requireService('postgres');

describe.skipIf(!pg.url)('repositories on Postgres (postgres.js)', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(pg.url!);
  });
  afterAll(async () => {
    await test?.drop();
  });

  repositorySuite('postgres', {
    open: () => openDb({ databaseUrl: test.url, dataDir: 'unused' }),
    query: (sql) => test.query(sql),
  });
});
