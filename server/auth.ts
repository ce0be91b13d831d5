import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT, jwtVerify } from 'jose';
import { AppError } from './errors.ts';

export interface Auth {
  issue(userId: string, displayName: string): Promise<string>;
  /** Throws AppError('UNAUTHORIZED') for a missing, malformed, expired or forged token. */
  verify(token: unknown): Promise<{ userId: string; displayName: string }>;
}

const ISSUER = 'chorus';
const TOKEN_TTL = '30d';

export function createAuth(secret: string): Auth {
  const key = new TextEncoder().encode(secret);
  return {
    async issue(userId, displayName) {
      return new SignJWT({ name: displayName })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(TOKEN_TTL)
        .sign(key);
    },
    async verify(token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
        throw new AppError('UNAUTHORIZED', 'missing or malformed token');
      }
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
        if (typeof payload.sub !== 'string') throw new Error('no subject');
        const name = typeof payload['name'] === 'string' ? payload['name'] : 'guest';
        return { userId: payload.sub, displayName: name };
      } catch (cause) {
        throw new AppError('UNAUTHORIZED', 'invalid token', { cause });
      }
    },
  };
}

/** CHORUS_SECRET when set; otherwise a random secret generated once and kept in the data dir. */
export async function resolveSecret(configured: string | undefined, dataDir: string): Promise<string> {
  if (configured) return configured;
  // An in-memory server keeps nothing on disk: its tokens live as long as it does.
  if (dataDir.startsWith('memory://')) return randomBytes(32).toString('base64url');
  const file = path.join(dataDir, 'secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 16) return existing;
  } catch {
    // first start: fall through and generate
  }
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, secret + '\n', { mode: 0o600 });
  return secret;
}
