/** Who this browser is: a guest token kept in localStorage, reused while the name stays the same. */
import { api } from './api.ts';

export interface Identity {
  userId: string;
  token: string;
  displayName: string;
}

const KEY = 'chorus.identity';

export function storedIdentity(): Identity | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<Identity>;
    return typeof v.userId === 'string' && typeof v.token === 'string' && typeof v.displayName === 'string'
      ? { userId: v.userId, token: v.token, displayName: v.displayName }
      : null;
  } catch {
    return null;
  }
}

export function forgetIdentity(): void {
  localStorage.removeItem(KEY);
}

/** The stored identity when the name matches, else a fresh guest. */
export async function identityFor(displayName: string): Promise<Identity> {
  const stored = storedIdentity();
  if (stored && stored.displayName === displayName) return stored;
  const guest = await api.createGuest(displayName);
  const identity = { userId: guest.userId, token: guest.token, displayName };
  localStorage.setItem(KEY, JSON.stringify(identity));
  return identity;
}
