/**
 * Open rooms as this node sees them: reads go to the room-state store (memory by default, Redis in a
 * cluster), a miss falls back to storage (a room restored late, or never seeded) and seeds the store.
 * It also remembers the rooms this node serves (their last state it saw) so the service can arm their
 * timers and count them. Closed rooms are never kept.
 */
import type { RoomRepository } from '../../db/repositories/types.ts';
import { MemoryRoomStateStore, type RoomStateStore } from '../realtime/room-state-store.ts';
import type { RoomState } from '../rooms/index.ts';
import { normaliseCode } from './room-codes.ts';

export class OpenRooms {
  /** Rooms this node served, with the last state it saw of each. */
  private readonly served = new Map<string, RoomState>();

  /** onAdopt: a room this node did not serve yet was read (the service arms its timer). */
  constructor(
    private readonly repo: RoomRepository,
    private readonly onAdopt: (room: RoomState) => void,
    readonly store: RoomStateStore = new MemoryRoomStateStore(),
  ) {}

  get size(): number {
    return this.served.size;
  }

  all(): RoomState[] {
    return [...this.served.values()];
  }

  /** The last state this node saw (no I/O; may be behind in a cluster). */
  cached(roomId: string): RoomState | undefined {
    return this.served.get(roomId);
  }

  async get(roomId: string): Promise<RoomState | null> {
    const stored = await this.store.get(roomId);
    if (stored) return this.note(stored);
    return this.adopt(await this.repo.load(roomId));
  }

  async byCode(code: string): Promise<RoomState | null> {
    const wanted = normaliseCode(code);
    const stored = await this.store.byCode(wanted);
    if (stored) return this.note(stored);
    return this.adopt(await this.repo.loadByCode(wanted));
  }

  /** Storage is ahead of the store (a version conflict): read it back and repair the store. */
  async reload(roomId: string): Promise<RoomState | null> {
    const stored = await this.repo.load(roomId);
    if (!stored || stored.closedAt !== null) {
      await this.store.delete(roomId);
      this.served.delete(roomId);
      return null;
    }
    await this.store.seed(stored);
    return this.note(stored);
  }

  /** Record a committed state in this node's view (the store was written by the caller). */
  set(room: RoomState): void {
    if (room.closedAt !== null) this.served.delete(room.id);
    else this.served.set(room.id, room);
  }

  delete(roomId: string): void {
    this.served.delete(roomId);
  }

  private note(room: RoomState): RoomState {
    const known = this.served.has(room.id);
    this.served.set(room.id, room);
    if (!known) this.onAdopt(room);
    return room;
  }

  /** A newer copy in the store wins over a storage read that raced with a commit. */
  private async adopt(stored: RoomState | null): Promise<RoomState | null> {
    if (!stored || stored.closedAt !== null) return null;
    if (!(await this.store.seed(stored))) {
      const current = await this.store.get(stored.id);
      if (current) return this.note(current);
    }
    return this.note(stored);
  }
}
