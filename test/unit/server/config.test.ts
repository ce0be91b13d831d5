import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, ENV_TABLE, loadConfig } from '../../../server/config.ts';

describe('config', () => {
  it('uses defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.maxPayloadBytes).toBe(16 * 1024);
    expect(config.hostGraceMs).toBe(DEFAULTS.hostGraceMs);
    expect(config.databaseUrl).toBeUndefined();
  });

  it('maps every env var through the table', () => {
    const config = loadConfig({
      PORT: '4100',
      CHORUS_ORIGINS: 'http://a.test, http://b.test',
      CHORUS_SEED_CATALOG: 'false',
      CHORUS_HOST_GRACE_MS: '250',
      DATABASE_URL: 'postgres://x@y/z',
    });
    expect(config.port).toBe(4100);
    expect(config.origins).toEqual(['http://a.test', 'http://b.test']);
    expect(config.seedCatalog).toBe(false);
    expect(config.hostGraceMs).toBe(250);
    expect(config.databaseUrl).toBe('postgres://x@y/z');
  });

  it('rejects invalid values with a readable message', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/invalid configuration/);
    expect(() => loadConfig({ CHORUS_SECRET: 'short' })).toThrow(/secret/);
  });

  it('is documented: every env var appears in the README configuration table', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(ENV_TABLE)) expect(readme).toContain(`\`${name}\``);
  });
});
