/**
 * How an interaction is stored in the Redis Stream, and how ioredis' untyped stream replies are read.
 * One entry per interaction: `id` (the interaction id, readable by redis-cli and the dead-letter tools
 * without parsing) and `json` (the whole record).
 */
import type { Interaction } from '../../ml/types.ts';

export const FIELD_ID = 'id';
export const FIELD_JSON = 'json';

export function encodeInteraction(r: Interaction): string[] {
  return [FIELD_ID, r.id, FIELD_JSON, JSON.stringify(r)];
}

/** One stream entry as read back; `fields` is null for an entry trimmed away while it was pending. */
export interface RawEntry {
  streamId: string;
  fields: Record<string, string> | null;
}

export type Decoded =
  | { ok: true; streamId: string; record: Interaction }
  | { ok: false; streamId: string; interactionId: string | undefined; raw: string | undefined; reason: string };

export function decodeEntry(e: RawEntry): Decoded {
  const raw = e.fields?.[FIELD_JSON];
  const interactionId = e.fields?.[FIELD_ID];
  if (raw === undefined) return { ok: false, streamId: e.streamId, interactionId, raw, reason: 'entry has no json field' };
  try {
    const record = JSON.parse(raw) as Interaction;
    if (typeof record !== 'object' || record === null || typeof record.id !== 'string') {
      return { ok: false, streamId: e.streamId, interactionId, raw, reason: 'json is not an interaction' };
    }
    return { ok: true, streamId: e.streamId, record };
  } catch {
    return { ok: false, streamId: e.streamId, interactionId, raw, reason: 'json does not parse' };
  }
}

function toFields(list: unknown): Record<string, string> | null {
  if (!Array.isArray(list)) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[String(list[i])] = String(list[i + 1]);
  return out;
}

/** `[[id, [field, value, …]], …]` (XRANGE / one stream of XREADGROUP / XAUTOCLAIM entries). */
export function parseEntries(list: unknown): RawEntry[] {
  if (!Array.isArray(list)) return [];
  const out: RawEntry[] = [];
  for (const item of list) {
    if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
    out.push({ streamId: item[0], fields: toFields(item[1]) });
  }
  return out;
}

/** XREADGROUP reply for one stream: `[[stream, entries]]` or null on timeout. */
export function parseReadGroup(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply) || !Array.isArray(reply[0])) return [];
  return parseEntries((reply[0] as unknown[])[1]);
}

/** XAUTOCLAIM reply: `[nextCursor, entries, deletedIds]` (deletedIds since Redis 7). */
export function parseAutoClaim(reply: unknown): { cursor: string; entries: RawEntry[]; deleted: string[] } {
  if (!Array.isArray(reply)) return { cursor: '0-0', entries: [], deleted: [] };
  const deleted = Array.isArray(reply[2]) ? reply[2].map(String) : [];
  return { cursor: String(reply[0] ?? '0-0'), entries: parseEntries(reply[1]), deleted };
}

/** XINFO GROUPS reply: a list of flat `[key, value, …]` arrays. */
export function parseFlatRecords(reply: unknown): Record<string, unknown>[] {
  if (!Array.isArray(reply)) return [];
  return reply.filter(Array.isArray).map((flat: unknown[]) => {
    const rec: Record<string, unknown> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) rec[String(flat[i])] = flat[i + 1];
    return rec;
  });
}

export const asCount = (v: unknown): number | null => (typeof v === 'number' ? v : v == null ? null : Number(v));
