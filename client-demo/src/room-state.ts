/**
 * The room as this client knows it, kept in step with the server by versions (docs/protocol.md §5):
 * apply `version === v + 1` (or `=== v`, a further part of the change just applied), ignore older ones,
 * and report a gap when a broadcast jumps past v + 1 so the caller asks for a snapshot (room:sync).
 */
import type {
  HostChangedEvent,
  PlaybackUpdatedEvent,
  QueueUpdatedEvent,
  RoomMembersEvent,
  RoomSnapshot,
  SkipUpdatedEvent,
} from '../../server/transport/socket/events.ts';

export type Outcome = 'applied' | 'ignored' | 'gap';

export interface RoomBroadcasts {
  'room:members': RoomMembersEvent;
  'queue:updated': QueueUpdatedEvent;
  'playback:updated': PlaybackUpdatedEvent;
  'host:changed': HostChangedEvent;
  'skip:updated': SkipUpdatedEvent;
}

export class RoomState {
  private snap: RoomSnapshot | null = null;
  private listeners = new Set<(room: RoomSnapshot) => void>();
  /** Gaps seen (shown in the sync panel: a healthy connection keeps this at 0). */
  gaps = 0;

  get room(): RoomSnapshot | null {
    return this.snap;
  }

  get version(): number {
    return this.snap?.version ?? 0;
  }

  /** A full snapshot (join, room:sync, room:snapshot) replaces the state unless it is older. */
  replace(snapshot: RoomSnapshot): Outcome {
    if (this.snap && this.snap.roomId === snapshot.roomId && snapshot.version < this.snap.version) return 'ignored';
    this.snap = snapshot;
    this.emit();
    return 'applied';
  }

  clear(): void {
    this.snap = null;
  }

  apply<E extends keyof RoomBroadcasts>(event: E, payload: RoomBroadcasts[E]): Outcome {
    const snap = this.snap;
    if (!snap) return 'ignored';
    const v = snap.version;
    if (payload.version < v) return 'ignored';
    if (payload.version > v + 1) {
      this.gaps++;
      return 'gap';
    }
    const next: RoomSnapshot = { ...snap, version: payload.version };
    const p = payload as RoomBroadcasts[keyof RoomBroadcasts];
    if ('members' in p) next.members = p.members;
    else if ('queue' in p) next.queue = p.queue;
    else if ('playback' in p) next.playback = p.playback;
    else if ('hostId' in p) next.hostId = p.hostId;
    else if ('skipVotes' in p) next.skipVotes = p.skipVotes;
    this.snap = next;
    this.emit();
    return 'applied';
  }

  onChange(fn: (room: RoomSnapshot) => void): void {
    this.listeners.add(fn);
  }

  private emit(): void {
    if (this.snap) for (const fn of this.listeners) fn(this.snap);
  }
}

/** Where the track is now (ms), given the server time. */
export function positionAt(playback: RoomSnapshot['playback'], serverNow: number): number {
  const raw = playback.status === 'playing' ? playback.positionMs + (serverNow - playback.at) : playback.positionMs;
  const clamped = Math.max(0, raw);
  return playback.durationMs === null ? clamped : Math.min(clamped, playback.durationMs);
}
