/**
 * Which external services a suite may use. Suites that need Postgres or Redis run when DATABASE_URL /
 * REDIS_URL are set and say plainly that they were skipped otherwise; CHORUS_REQUIRE_SERVICES=1 turns
 * that skip into a failure.
 *
 *   const pg = requireService('postgres');
 *   describe.skipIf(!pg.url)('… on Postgres', () => { … });
 */
import { it } from 'vitest';

export type ServiceName = 'postgres' | 'redis';

const ENV: Record<ServiceName, string> = { postgres: 'DATABASE_URL', redis: 'REDIS_URL' };

export const servicesRequired = (): boolean => process.env['CHORUS_REQUIRE_SERVICES'] === '1';

export function requireService(name: ServiceName): { url: string | undefined } {
  const url = process.env[ENV[name]] || undefined;
  if (!url) {
    if (servicesRequired()) {
      // Registered as a failing test so the run goes red with a readable reason.
      it(`requires ${name} (${ENV[name]} unset while CHORUS_REQUIRE_SERVICES=1)`, () => {
        throw new Error(`${ENV[name]} must be set when CHORUS_REQUIRE_SERVICES=1`);
      });
    } else {
      console.warn(`[chorus] ${name} suites SKIPPED: set ${ENV[name]} to run them`);
    }
  }
  return { url };
}
