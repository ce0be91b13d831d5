/**
 * Cluster mode: members shown connected whose socket is on no node. A node that dies without a restart
 * takes its sockets with it and marks nobody disconnected; its members mostly reconnect to another node
 * within seconds, but those who do not would be shown connected (and counted in skip votes) until the
 * room closes. Every node runs this sweep over the rooms it holds:
 *  1. without any lock, ask the cluster who is in this node's rooms (one fetchSockets for all of them);
 *  2. a member absent in two sweeps in a row (not one: a socket moving between nodes is briefly nowhere)
 *     is marked disconnected under the room's lock, after asking once more (RoomService.disconnectAbsent).
 * When the question fails (a peer is slow, or dead and not yet dropped by the adapter's heartbeat) the
 * sweep stops there and the next one decides. Several nodes may sweep one room: a member already
 * disconnected is skipped.
 */
import type { Logger } from '../logger.ts';
import type { Member, RoomState } from '../rooms/index.ts';
import type { PresentIn, RoomServiceImpl } from './room-service.ts';

/** PresentIn for many rooms in one question: roomId → the users with a socket in it on some node. */
export type PresentInRooms = (roomIds: readonly string[]) => Promise<ReadonlyMap<string, ReadonlySet<string>>>;

export interface PresenceSweepOptions {
  rooms: Pick<RoomServiceImpl, 'openRooms' | 'current' | 'disconnectAbsent'>;
  presentIn: PresentIn;
  presentInRooms: PresentInRooms;
  log: Pick<Logger, 'info' | 'warn'>;
  intervalMs: number;
}

export class PresenceSweep {
  /** roomId → members found absent by the last sweep. */
  private suspects = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(private readonly o: PresenceSweepOptions) {}

  start(): this {
    this.schedule();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One sweep; resolves with how many members it marked disconnected. Never rejects. */
  runOnce(): Promise<number> {
    this.running ??= this.sweep().finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runOnce().then(() => this.schedule()), this.o.intervalMs);
    this.timer.unref();
  }

  private async sweep(): Promise<number> {
    // The shared state, not this node's last view: members may have joined through other nodes. Read
    // together (one round trip's worth of pipelined reads on Redis), not room after room.
    const states = await Promise.all(this.o.rooms.openRooms().map(({ id }) => this.o.rooms.current(id).catch(() => null)));
    const rooms = states.filter((r): r is RoomState => r?.members.some(shownConnected) === true);
    if (rooms.length === 0 || this.stopped) {
      this.suspects.clear();
      return 0;
    }
    let present: ReadonlyMap<string, ReadonlySet<string>>;
    try {
      present = await this.o.presentInRooms(rooms.map((r) => r.id));
    } catch {
      // A peer did not answer (slow, or dead and not yet dropped by the adapter): keep what the last
      // sweep suspected and decide on the next one.
      return 0;
    }
    const next = new Map<string, Set<string>>();
    let marked = 0;
    for (const room of rooms) {
      if (this.stopped) break;
      const here = present.get(room.id);
      const absent = room.members.filter((m) => shownConnected(m) && !here?.has(m.userId)).map((m) => m.userId);
      const before = this.suspects.get(room.id);
      const confirmed = new Set(absent.filter((u) => before?.has(u)));
      const pending = new Set(absent.filter((u) => !confirmed.has(u)));
      if (pending.size > 0) next.set(room.id, pending);
      if (confirmed.size === 0) continue;
      marked += await this.o.rooms
        .disconnectAbsent(room.id, this.o.presentIn, { unknown: 'keep', only: confirmed })
        .catch((err: unknown) => {
          this.o.log.warn({ err, roomId: room.id }, 'marking members with no socket disconnected failed');
          next.set(room.id, confirmed);
          return 0;
        });
    }
    this.suspects = next;
    if (marked > 0) this.o.log.info({ members: marked }, 'marked members whose socket is on no node as disconnected');
    return marked;
  }
}

const shownConnected = (m: Member): boolean => m.connected && !m.banned;
