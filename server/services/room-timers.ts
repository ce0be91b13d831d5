/**
 * One timer per open room, set to the earliest thing that must happen without a client asking:
 * the domain's next deadline (track end, host grace expiry) or the idle close of a room nobody is
 * connected to. Re-armed after every transition; timers are unref'd so they never hold the process.
 */
import { connectedCount, nextDeadline, type RoomState } from '../rooms/index.ts';

/** setTimeout's ceiling (~24.8 days); a later deadline just re-arms when this fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export interface RoomTimersOptions {
  hostGraceMs: number;
  roomIdleMs: number;
  now: () => number;
  onDue: (roomId: string) => void | Promise<void>;
}

export class RoomTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** When each room last had nobody connected (absent = someone is connected). */
  private readonly emptySince = new Map<string, number>();

  constructor(private readonly opts: RoomTimersOptions) {}

  schedule(room: RoomState, { minDelayMs = 0 }: { minDelayMs?: number } = {}): void {
    this.cancel(room.id);
    if (room.closedAt !== null) return;
    const now = this.opts.now();
    let at = nextDeadline(room, this.opts.hostGraceMs);
    if (connectedCount(room) === 0) {
      const since = this.emptySince.get(room.id) ?? now;
      this.emptySince.set(room.id, since);
      const idleAt = since + this.opts.roomIdleMs;
      at = at === null ? idleAt : Math.min(at, idleAt);
    } else {
      this.emptySince.delete(room.id);
    }
    if (at === null) return;
    const due = Math.max(at, now + minDelayMs);
    this.arm(room.id, due, Math.min(Math.max(due - now, 0), MAX_DELAY_MS));
  }

  /**
   * A timer may fire a millisecond before `due` by the wall clock (timers and Date.now() round apart):
   * then it re-arms for the rest instead of handing the room a deadline that has not passed yet.
   */
  private arm(roomId: string, due: number, delay: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(roomId);
      const early = due - this.opts.now();
      if (early > 0) this.arm(roomId, due, Math.min(early, MAX_DELAY_MS));
      else void this.opts.onDue(roomId);
    }, delay);
    timer.unref();
    this.timers.set(roomId, timer);
  }

  /** The room has had nobody connected for at least roomIdleMs. */
  idleExpired(room: RoomState): boolean {
    const since = this.emptySince.get(room.id);
    return connectedCount(room) === 0 && since !== undefined && this.opts.now() >= since + this.opts.roomIdleMs;
  }

  /** Forget the room entirely (closed or dropped from the cache). */
  clear(roomId: string): void {
    this.cancel(roomId);
    this.emptySince.delete(roomId);
  }

  clearAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.emptySince.clear();
  }

  private cancel(roomId: string): void {
    const timer = this.timers.get(roomId);
    if (timer) clearTimeout(timer);
    this.timers.delete(roomId);
  }
}
