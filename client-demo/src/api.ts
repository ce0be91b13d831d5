/** The HTTP half of the protocol (server/transport/http/*.ts): guests, rooms, catalog. */

import type { Track } from '../../db/repositories/types.ts';

/** A catalog track as GET /api/tracks returns it: the repository's Track (a type-only import). */
export type CatalogTrack = Track;

export interface Guest { userId: string; token: string }
export interface CreatedRoom { roomId: string; code: string; joinUrl: string }

export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
  }
}

async function request<T>(path: string, init: RequestInit = {}, token?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers['authorization'] = `Bearer ${token}`;
  const res = await fetch(path, { ...init, headers });
  const body: unknown = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string } }).error;
    throw new ApiError(err?.code ?? 'INTERNAL', err?.message ?? `HTTP ${res.status}`, res.status);
  }
  return body as T;
}

export const api = {
  createGuest: (displayName: string) =>
    request<Guest>('/api/guests', { method: 'POST', body: JSON.stringify({ displayName }) }),
  createRoom: (token: string, name: string) =>
    request<CreatedRoom>('/api/rooms', { method: 'POST', body: JSON.stringify({ name }) }, token),
  searchTracks: (q: string, limit = 12) =>
    request<{ tracks: CatalogTrack[] }>(`/api/tracks?${new URLSearchParams({ q, limit: String(limit) })}`).then(
      (r) => r.tracks,
    ),
  track: (id: string) => request<CatalogTrack>(`/api/tracks/${encodeURIComponent(id)}`),
};
