/**
 * Origin checks against CHORUS_ORIGINS. They protect browsers (cross-site sockets riding a user's
 * token), so a request without an Origin header — a native app, a test, curl — is allowed.
 */

const normalise = (origin: string): string => origin.trim().replace(/\/+$/, '').toLowerCase();

export function originAllowed(origin: string | undefined | null, allowed: readonly string[]): boolean {
  if (origin === undefined || origin === null || origin === '') return true;
  if (allowed.includes('*')) return true;
  const wanted = normalise(origin);
  return allowed.some((a) => normalise(a) === wanted);
}
