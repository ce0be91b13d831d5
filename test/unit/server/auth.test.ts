import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuth, resolveSecret } from '../../../server/auth.ts';

describe('auth', () => {
  const auth = createAuth('a-test-secret-of-enough-length');

  it('round-trips a token', async () => {
    const token = await auth.issue('u1', 'Ana');
    await expect(auth.verify(token)).resolves.toEqual({ userId: 'u1', displayName: 'Ana' });
  });

  it.each([undefined, '', 42, 'not.a.jwt', 'x'.repeat(5000)])('rejects %s with UNAUTHORIZED', async (bad) => {
    await expect(auth.verify(bad)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('rejects a token signed with another secret', async () => {
    const other = createAuth('another-secret-of-enough-length');
    await expect(auth.verify(await other.issue('u1', 'Ana'))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('generates a secret once and keeps it in the data dir', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'chorus-secret-'));
    try {
      const first = await resolveSecret(undefined, dir);
      expect(first.length).toBeGreaterThanOrEqual(16);
      await expect(resolveSecret(undefined, dir)).resolves.toBe(first);
      await expect(resolveSecret('configured-secret-value', dir)).resolves.toBe('configured-secret-value');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
