/**
 * A throwaway database per test run, so suites never see each other's rows and never touch the
 * database named in DATABASE_URL beyond CREATE/DROP DATABASE.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export interface TestDatabase {
  url: string;
  query(sql: string): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `chorus_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = postgres(url.toString(), { max: 1, onnotice: () => undefined });
  return {
    url: url.toString(),
    query: async (sql) => [...(await client.unsafe(sql))],
    async drop() {
      await client.end({ timeout: 5 });
      // FORCE ends connections a failed test may have leaked (Postgres 13+).
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
