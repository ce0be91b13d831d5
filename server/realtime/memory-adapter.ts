/**
 * The single-node socket.io adapter: socket.io's own session-aware in-memory adapter (connection state
 * recovery replays what a dropped socket missed), except that `recs:updated` is not kept for replay.
 * Recommendations are a state, not a change: only the latest matters, and a recovered member is sent
 * the latest when its seat comes back (transport/socket/attach.ts). Kept, they were ~600 retained
 * payloads a second for the two-minute recovery window at the live bench's load (hundreds of MB of heap
 * for the garbage collector to walk), and a phone back from a tunnel was replayed hundreds of stale lists.
 */
import { Adapter, SessionAwareAdapter, type BroadcastOptions } from 'socket.io-adapter';

/** Events sent to every member but never replayed on recovery (the latest is sent instead). */
export const NOT_REPLAYED: ReadonlySet<string> = new Set(['recs:updated']);

/** Whether a packet's data (`[event, ...args]`) is one of NOT_REPLAYED. */
export function notReplayed(data: unknown): boolean {
  const event = Array.isArray(data) ? (data[0] as unknown) : undefined;
  return typeof event === 'string' && NOT_REPLAYED.has(event);
}

type Packet = Parameters<Adapter['broadcast']>[0];

export class RecoveryAdapter extends SessionAwareAdapter {
  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    if (notReplayed((packet as { data?: unknown }).data)) {
      // The plain adapter's broadcast: delivered the same way, just not stored for recovery.
      Adapter.prototype.broadcast.call(this, packet, opts);
      return;
    }
    super.broadcast(packet, opts);
  }
}
