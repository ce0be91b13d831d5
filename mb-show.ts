import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create({ dataDir: '/tmp/mbshow' + Date.now() });
for (const k of ['fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes', 'wal_level', 'shared_buffers', 'checkpoint_timeout', 'max_wal_size', 'jit', 'wal_buffers'])
  console.log(k, (await db.query<Record<string, string>>(`show ${k}`)).rows[0]);
await db.exec('create table t(id text primary key, v jsonb)');
const time = async (name: string, f: () => Promise<unknown>) => { const N = 500; const t = performance.now(); for (let i = 0; i < N; i++) await f(); console.log(name, ((performance.now() - t) / N).toFixed(3)); };
let i = 0;
await time('insert autocommit', () => db.query('insert into t values ($1, $2)', [String(i++), '{}']));
await db.exec('set synchronous_commit = off');
await time('insert sync off', () => db.query('insert into t values ($1, $2)', [String(i++), '{}']));
await time('select 1', () => db.query('select 1'));
await db.close();
