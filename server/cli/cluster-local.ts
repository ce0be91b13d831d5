/**
 * npm run cluster:local — two server nodes (PORT 3001, 3002) and one learner process on this machine,
 * against the local Postgres and Redis (DATABASE_URL / REDIS_URL, defaulting to the local ones). Each
 * child's output is prefixed with its name; Ctrl-C (or any child exiting) stops them all.
 *
 * The database is migrated, the catalog seeded and the token secret resolved once here, before the
 * children start, so they do not race each other for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { openDb } from '../../db/client.ts';
import { resolveSecret } from '../auth.ts';
import { seedCatalogIfEmpty } from '../catalog/seed.ts';
import { loadConfig } from '../config.ts';

const PORTS = [3001, 3002];
const env = {
  ...process.env,
  DATABASE_URL: process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test',
  REDIS_URL: process.env['REDIS_URL'] || 'redis://127.0.0.1:6379',
};

async function prepare(): Promise<string> {
  const config = loadConfig(env);
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const inserted = config.seedCatalog ? await seedCatalogIfEmpty(db, config.catalogSize) : 0;
    if (inserted > 0) console.log(`[cluster] generated the default catalog (${inserted} tracks)`);
  } finally {
    await db.close();
  }
  return resolveSecret(config.secret, config.dataDir);
}

const children = new Map<string, ChildProcess>();
let stopping = false;

function run(name: string, script: string, extra: Record<string, string>): void {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...env, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(name, child);
  const pad = name.padEnd(7);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`[${pad}] ${line}`));
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    console.log(`[cluster] ${name} exited (${signal ?? code})`);
    stop(code === 0 || stopping ? 0 : 1);
  });
}

function stop(code: number): void {
  if (!stopping) {
    stopping = true;
    console.log('[cluster] stopping all');
    for (const c of children.values()) c.kill('SIGTERM');
  }
  if (children.size === 0) process.exit(code);
}

async function main(): Promise<void> {
  const secret = await prepare();
  const shared = { CHORUS_SECRET: secret, CHORUS_SEED_CATALOG: '0', HOST: process.env['HOST'] || '127.0.0.1' };
  for (const [i, port] of PORTS.entries()) {
    run(`node-${i + 1}`, 'server/main.ts', { ...shared, PORT: String(port), CHORUS_PUBLIC_URL: `http://localhost:${port}` });
  }
  run('learner', 'server/learning/learner-process.ts', shared);
  console.log(`[cluster] nodes on ${PORTS.map((p) => `http://localhost:${p}`).join(' and ')}; Ctrl-C stops all`);
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
}

main().catch((err: unknown) => {
  console.error('[cluster] failed to start:', err);
  stop(1);
  process.exit(1);
});
