import { PGlite } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withPreparedStatements, type PreparedStatements } from '../../../db/pglite-prepared.ts';

describe('PGlite named prepared statements (db/pglite-prepared.ts)', () => {
  let pg: PGlite;
  let client: PGlite;
  let prepared: PreparedStatements;

  beforeEach(async () => {
    pg = await PGlite.create();
    ({ client, prepared } = withPreparedStatements(pg, { max: 2 }));
    await client.query('create table t (id int primary key, doc jsonb, note text, at bigint, ok boolean)');
  });
  afterEach(async () => {
    await pg.close();
  });

  const insert = 'insert into t (id, doc, note, at, ok) values ($1, $2::jsonb, $3, $4, $5) returning id, doc, at, ok';

  it('runs a text seen twice by name, with the same rows as query', async () => {
    const first = await client.query(insert, [1, JSON.stringify({ a: 1 }), "it's", 2n ** 40n, true]);
    expect(prepared.stats).toEqual({ named: 0, prepared: 0 });
    const second = await client.query(insert, [2, JSON.stringify({ a: 2 }), null, 5, false]);
    const third = await client.query(insert, [3, JSON.stringify({ a: [3] }), 'x', 6, null]);
    expect(prepared.stats).toEqual({ named: 2, prepared: 1 });
    expect(first.rows).toEqual([{ id: 1, doc: { a: 1 }, at: 2 ** 40, ok: true }]);
    expect(second.rows).toEqual([{ id: 2, doc: { a: 2 }, at: 5, ok: false }]);
    expect(third.rows).toEqual([{ id: 3, doc: { a: [3] }, at: 6, ok: null }]);
    expect(third.fields.map((f) => f.name)).toEqual(['id', 'doc', 'at', 'ok']);
    const arrays = await client.query('select id, note from t order by id', [], { rowMode: 'array' });
    await client.query('select id, note from t order by id', [], { rowMode: 'array' }).then((named) => expect(named.rows).toEqual(arrays.rows));
    expect(arrays.rows).toEqual([[1, "it's"], [2, null], [3, 'x']]);
  });

  it('applies parsers given with the call over the defaults, as query does', async () => {
    await client.query(insert, [1, '{"a":1}', 'a', 1, true]);
    const text = 'select id, doc from t';
    const parsers = { 23: (v: string) => `int:${v}` };
    const plain = await client.query(text, [], { parsers });
    const named = await client.query(text, [], { parsers });
    expect(prepared.stats.named).toBe(1);
    expect(named.rows).toEqual(plain.rows);
    expect(named.rows).toEqual([{ id: 'int:1', doc: { a: 1 } }]);
  });

  it('keeps errors and their SQLSTATE, and the statement works afterwards', async () => {
    await client.query(insert, [1, '{}', 'a', 1, true]);
    await client.query(insert, [2, '{}', 'a', 1, true]);
    await expect(client.query(insert, [2, '{}', 'a', 1, true])).rejects.toMatchObject({ code: '23505' });
    await expect(client.query(insert, [4, 'not json', 'a', 1, true])).rejects.toMatchObject({ code: '22P02' });
    await client.query(insert, [3, '{}', 'a', 1, true]);
    expect((await pg.query('select count(*)::int as n from t')).rows).toEqual([{ n: 3 }]);
  });

  it('closes the least recently used statement beyond its bound, and stays correct', async () => {
    const texts = [1, 2, 3, 4].map((k) => `select ${k}::int + $1::int as v`);
    for (let round = 0; round < 3; round++) {
      for (const [k, text] of texts.entries()) {
        expect((await client.query<{ v: number }>(text, [10])).rows[0]?.v).toBe(k + 1 + 10);
      }
    }
    const open = await pg.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements');
    expect(open.rows[0]?.n).toBeLessThanOrEqual(2);
  });

  it('does not slip into a transaction PGlite has open, and runs inside one through its handle', async () => {
    await client.query(insert, [1, '{}', 'a', 1, true]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = client.transaction(async (t) => {
      await t.query(insert, [2, '{}', 'in tx', 1, true]);
      await gate;
      throw new Error('roll back');
    });
    const outside = client.query(insert, [3, '{}', 'outside', 1, true]);
    release();
    await expect(tx).rejects.toThrow('roll back');
    await outside;
    expect(prepared.stats.named).toBe(1);
    const ids = await pg.query<{ id: number }>('select id from t order by id');
    expect(ids.rows.map((r) => r.id)).toEqual([1, 3]);
  });

  it('prepares again when a schema change invalidates the kept plan', async () => {
    await client.query('select * from t');
    await client.query('select * from t');
    await pg.exec('alter table t add column extra int default 7');
    await client.query(insert, [1, '{}', 'a', 1, true]);
    const rows = (await client.query<Record<string, unknown>>('select * from t')).rows;
    expect(rows[0]?.extra).toBe(7);
    // Prepared at its second run, and again after the change.
    expect(prepared.stats.prepared).toBe(2);
  });
});
