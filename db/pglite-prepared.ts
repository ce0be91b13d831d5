/**
 * Named prepared statements for PGlite, as postgres.js keeps them for Postgres.
 *
 * PGlite's `query` runs every statement as the unnamed statement: it is parsed, analysed and planned
 * again on each call, and the Parse, Describe, Bind, Describe, Execute and Sync steps are six separate
 * calls into the WASM engine. On the hot path (a room save, a reaction's append) that fixed cost was most
 * of the statement: a two-row append took 0.54 ms through `query` and 0.15 ms as a named statement
 * (docs/performance.md). So a text seen a second time outside a transaction is prepared once under a name
 * (Parse + Describe), and from then on runs as one Bind + Describe + Execute + Sync message, with its
 * plan kept by Postgres's plan cache. One-off statements (migrations, bulk imports) run as before.
 *
 * Only PGlite's protocol API is used (execProtocol, protocol.serialize, parse.parseResults, and the two
 * locks `query` itself takes). Parameters stay parameters; results are parsed by PGlite's own parsers, so rows
 * read exactly as through `query`.
 */
import { parse, protocol, type PGlite, type QueryOptions, type Results } from '@electric-sql/pglite';

const { serialize } = protocol;

export interface PreparedOptions {
  /** Named statements kept at most (least recently used are closed); default 64. */
  max?: number | undefined;
  /** Distinct texts remembered as "seen once"; default 512. */
  seenMax?: number | undefined;
}

interface Statement {
  name: string;
  /** Parameter type OIDs, from Describe: they pick the serializer of each value, as `query` does. */
  types: number[];
}

/** Options `query` may carry that this path handles; anything else (blobs, notices…) goes to `query`. */
const HANDLED = new Set(['rowMode', 'parsers', 'serializers']);

/** Why Postgres refuses a kept plan after a schema change: the statement is prepared again. */
const STALE_PLAN = /cached plan must not change result type/;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A bounded map in least-recently-used order (a Map iterates in insertion order). */
function touch<K, V>(map: Map<K, V>, key: K, value: V, max: number, evicted?: (v: V) => void): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const [oldKey, oldValue] = map.entries().next().value as [K, V];
    map.delete(oldKey);
    evicted?.(oldValue);
  }
}

export class PreparedStatements {
  private readonly statements = new Map<string, Statement>();
  private readonly seen = new Map<string, true>();
  /** Names to close (evicted); sent ahead of the next statement, inside the same exclusive run. */
  private closing: string[] = [];
  private next = 1;
  private readonly max: number;
  private readonly seenMax: number;
  /** Statements run by name, and prepared (for tests and the curious). */
  readonly stats = { named: 0, prepared: 0 };

  constructor(
    private readonly pg: PGlite,
    opts: PreparedOptions = {},
  ) {
    this.max = opts.max ?? 64;
    this.seenMax = opts.seenMax ?? 512;
  }

  /** Drop-in for `pg.query`. */
  async query<T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    if (!this.eligible(text, options)) return this.pg.query<T>(text, params, options);
    if (!this.statements.has(text) && !this.seen.has(text)) {
      touch(this.seen, text, true, this.seenMax);
      return this.pg.query<T>(text, params, options);
    }
    // The same two locks `query` takes: no statement slips into a transaction PGlite has open.
    return this.pg._runExclusiveTransaction(() =>
      this.pg.runExclusive(async () => {
        const known = this.statements.get(text);
        try {
          return await this.run<T>(known ?? (await this.prepare(text)), text, params, options);
        } catch (e) {
          if (!(e instanceof Error && STALE_PLAN.test(e.message))) throw e;
          this.forget(text);
          return this.run<T>(await this.prepare(text), text, params, options);
        }
      }),
    );
  }

  private eligible(text: string, options: QueryOptions | undefined): boolean {
    if (options && Object.keys(options).some((k) => !HANDLED.has(k) && (options as Record<string, unknown>)[k] !== undefined)) {
      return false;
    }
    // Transaction control and DDL are left to `query` (the plain path keeps PGlite's own bookkeeping).
    return !/^\s*(begin|commit|rollback|savepoint|release|set|create|alter|drop)\b/i.test(text);
  }

  /** As `query` does: sync the file system after a statement, unless a transaction is open. */
  private exec(message: Uint8Array) {
    return this.pg.execProtocol(message, { syncToFs: !this.pg.isInTransaction() });
  }

  private async prepare(text: string): Promise<Statement> {
    const name = `chorus_${this.next++}`;
    const described = await this.exec(
      concat([...this.closes(), serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]),
    );
    const st: Statement = { name, types: parse.parseDescribeStatementResults(described.messages) };
    this.stats.prepared++;
    this.seen.delete(text);
    touch(this.statements, text, st, this.max, (old) => this.closing.push(old.name));
    return st;
  }

  private async run<T>(st: Statement, text: string, params: unknown[], options: QueryOptions | undefined): Promise<Results<T>> {
    touch(this.statements, text, st, this.max, (old) => this.closing.push(old.name));
    this.stats.named++;
    return this.execute<T>(st.name, st.types, params, options);
  }

  private async execute<T>(statement: string, types: number[], params: unknown[], options: QueryOptions | undefined): Promise<Results<T>> {
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const type = types[i] ?? 0;
      const serializer = options?.serializers?.[type] ?? this.pg.serializers[type];
      return serializer ? serializer(v) : String(v);
    });
    const res = await this.exec(
      concat([...this.closes(), serialize.bind({ statement, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
    );
    // parseResults copies every default parser into a new object when `options.parsers` is set (drizzle
    // always sets a few): a sixth of the database thread's busy time. A prototype chain gives the same lookups.
    const parsers = options?.parsers ? Object.assign(Object.create(this.pg.parsers) as PGlite['parsers'], options.parsers) : this.pg.parsers;
    const [first] = parse.parseResults(res.messages, parsers, options?.rowMode ? { rowMode: options.rowMode } : undefined);
    return (first ?? { rows: [], fields: [] }) as Results<T>;
  }

  private closes(): Uint8Array[] {
    const out = this.closing.map((name) => serialize.close({ type: 'S', name }));
    this.closing = [];
    return out;
  }

  private forget(text: string): void {
    const st = this.statements.get(text);
    if (!st) return;
    this.statements.delete(text);
    this.closing.push(st.name);
  }
}

/**
 * The PGlite instance with `query` going through named statements; every other member is the
 * instance's own. Hand this to drizzle.
 */
export function withPreparedStatements(pg: PGlite, opts?: PreparedOptions): { client: PGlite; prepared: PreparedStatements } {
  const prepared = new PreparedStatements(pg, opts);
  const query = prepared.query.bind(prepared);
  const client = new Proxy(pg, {
    get(target, prop) {
      if (prop === 'query') return query;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { client, prepared };
}
