/**
 * A room edit as one statement. The save runs on every queue, playback and membership change, and on
 * PGlite each statement costs a call into the engine on the event loop (on Postgres, a round trip), so
 * instead of a transaction of five to seven statements it is a single statement of data-modifying CTEs:
 *
 *  - `u` updates the room row only if it is still at `prevVersion` (the optimistic check);
 *  - every other part writes only if `u` returned the row, so a refused edit changes nothing;
 *  - children the transition did not change are left out; members and queue items are written as a
 *    diff (delete who is gone, upsert the rest), never delete-and-reinsert of the same key, since the
 *    parts of one statement cannot see each other's effects;
 *  - the final SELECT reports whether `u` matched and, if not, the version that blocked it (read from the
 *    statement's snapshot), which tells NOT_FOUND from CONFLICT without another statement.
 *
 * Children travel as one jsonb parameter each, so the statement's shape does not depend on their count.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Interaction } from '../../ml/types.ts';
import type { RoomEventRecord, RoomState } from '../../server/rooms/types.ts';
import { interactionCtes } from './interactions.ts';
import { memberRows, playbackRow, queueRows, roomRow } from './room-rows.ts';

const json = (value: unknown): SQL => sql`${JSON.stringify(value)}::jsonb`;
const GATE = sql.raw('WHERE EXISTS (SELECT 1 FROM u)');

/** A child table written as a diff: rows whose key is gone are deleted, the rest upserted on (room_id, key). */
interface ChildTable {
  /** CTE name prefix. */
  name: string;
  table: string;
  key: string;
  /** Column → SQL type, the key first; every column but room_id comes from the JSON rows. */
  columns: Record<string, string>;
}

function diffCtes(room: RoomState, t: ChildTable, rows: readonly Record<string, unknown>[]): SQL[] {
  const cols = Object.keys(t.columns);
  const types = cols.map((c) => `${c} ${t.columns[c]}`).join(', ');
  const rest = cols.filter((c) => c !== t.key);
  const update = rest.map((c) => `${c} = excluded.${c}`).join(', ');
  // Rows that did not change are not rewritten (no new row version, no index churn): a queue add touches
  // one row and the positions that moved, not the whole queue.
  const changed = `(${rest.map((c) => `${t.table}.${c}`).join(', ')}) IS DISTINCT FROM (${rest.map((c) => `excluded.${c}`).join(', ')})`;
  return [
    sql`${sql.raw(t.name)}d AS (DELETE FROM ${sql.raw(t.table)} WHERE room_id = ${room.id} AND EXISTS (SELECT 1 FROM u)
      AND ${sql.raw(t.key)} NOT IN (SELECT jsonb_array_elements_text(${json(rows.map((r) => r[t.key]))})))`,
    sql`${sql.raw(t.name)}i AS (INSERT INTO ${sql.raw(t.table)} (room_id, ${sql.raw(cols.join(', '))})
      SELECT ${room.id}, ${sql.raw(cols.join(', '))} FROM jsonb_to_recordset(${json(rows)}) AS c(${sql.raw(types)}) ${GATE}
      ON CONFLICT (room_id, ${sql.raw(t.key)}) DO UPDATE SET ${sql.raw(update)} WHERE ${sql.raw(changed)})`,
  ];
}

const MEMBERS: ChildTable = {
  name: 'm',
  table: 'room_members',
  key: 'user_id',
  columns: {
    user_id: 'text',
    display_name: 'text',
    role: 'text',
    connected: 'boolean',
    joined_at: 'bigint',
    disconnected_at: 'bigint',
    banned: 'boolean',
    position: 'int',
  },
};

const QUEUE: ChildTable = {
  name: 'q',
  table: 'queue_items',
  key: 'id',
  columns: {
    id: 'text',
    track_id: 'text',
    added_by: 'text',
    added_at: 'bigint',
    duration_ms: 'int',
    position: 'int',
    votes: 'jsonb',
    autofill: 'boolean',
  },
};

const camel = (column: string): string => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A child table's rows as the JSON the statement reads: its columns, in snake case, from the camel-case rows. */
const jsonOf = (t: ChildTable, rows: readonly object[]): Record<string, unknown>[] =>
  rows.map((r) => Object.fromEntries(Object.keys(t.columns).map((c) => [c, (r as Record<string, unknown>)[camel(c)]])));

function playbackCte(room: RoomState): SQL {
  const p = playbackRow(room);
  return sql`pb AS (INSERT INTO playback_state (room_id, track_id, status, position_ms, at, duration_ms, added_by, autofill)
    SELECT ${room.id}, ${p.trackId}::text, ${p.status}, ${p.positionMs}::double precision, ${p.at}::bigint,
      ${p.durationMs}::int, ${p.addedBy}::text, ${p.autofill}::boolean ${GATE}
    ON CONFLICT (room_id) DO UPDATE SET track_id = excluded.track_id, status = excluded.status,
      position_ms = excluded.position_ms, at = excluded.at, duration_ms = excluded.duration_ms,
      added_by = excluded.added_by, autofill = excluded.autofill)`;
}

export interface SaveOutcome {
  /** The room row was at prevVersion and is now saved. */
  updated: boolean;
  /** When not updated: the stored version (null: no such room). */
  current: number | null;
}

/** The statement; read its single row with {@link saveOutcome}. */
export function saveStatement(
  room: RoomState,
  prevVersion: number,
  event: RoomEventRecord,
  caused: readonly Interaction[],
  opts: { outbox?: boolean | undefined; changed?: readonly string[] | undefined },
): SQL {
  const r = roomRow(room);
  const touched = (...areas: string[]) => opts.changed === undefined || areas.some((a) => opts.changed?.includes(a));
  const ctes: SQL[] = [
    sql`u AS (UPDATE rooms SET name = ${r.name}, host_id = ${r.hostId}, version = ${r.version}, settings = ${json(r.settings)},
      skip_votes = ${json(r.skipVotes)}, last_played_at = ${json(r.lastPlayedAt)}, closed_at = ${r.closedAt}::bigint
      WHERE id = ${room.id} AND version = ${prevVersion} RETURNING id)`,
    sql`ev AS (INSERT INTO room_events (room_id, version, type, actor_id, payload, created_at)
      SELECT ${room.id}, ${room.version}::int, ${event.type}, ${event.actorId}::text,
        ${event.payload === undefined ? null : JSON.stringify(event.payload)}::jsonb, ${Date.now()}::bigint ${GATE})`,
  ];
  if (touched('members', 'host')) ctes.push(...diffCtes(room, MEMBERS, jsonOf(MEMBERS, memberRows(room))));
  if (touched('queue')) ctes.push(...diffCtes(room, QUEUE, jsonOf(QUEUE, queueRows(room))));
  if (touched('playback')) ctes.push(playbackCte(room));
  if (caused.length > 0) ctes.push(...interactionCtes(caused, { outbox: opts.outbox, gate: 'u' }));
  return sql`WITH ${sql.join(ctes, sql`, `)}
    SELECT (SELECT count(*)::int FROM u) AS updated, (SELECT version FROM rooms WHERE id = ${room.id}) AS current`;
}

export function saveOutcome(row: { updated: number | string; current: number | string | null } | undefined): SaveOutcome {
  return { updated: Number(row?.updated ?? 0) > 0, current: row?.current === null || row?.current === undefined ? null : Number(row.current) };
}
