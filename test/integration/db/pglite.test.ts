import { describe } from 'vitest';
import { MEMORY, openDb } from '../../../db/client.ts';
import { repositorySuite } from './repository-suite.ts';

describe('repositories on PGlite (in memory)', () => {
  repositorySuite('pglite', { open: () => openDb({ dataDir: MEMORY }) });
});
