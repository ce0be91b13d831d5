/**
 * The in-memory cache of open rooms (id → state, code → id). It holds the latest committed state of
 * every room this process serves; a miss falls back to storage (a room restored late, or written by
 * another node) and is adopted. Closed rooms are never cached.
 */
import type { RoomRepository } from '../../db/repositories/types.ts';
import type { RoomState } from '../rooms/index.ts';
import { normaliseCode } from './room-codes.ts';

export class OpenRooms {
  private readonly rooms = new Map<string, RoomState>();
  private readonly codes = new Map<string, string>();

  /** onAdopt: a room entered the cache from storage (the service arms its timer). */
  constructor(
    private readonly repo: RoomRepository,
    private readonly onAdopt: (room: RoomState) => void,
  ) {}

  get size(): number {
    return this.rooms.size;
  }

  all(): RoomState[] {
    return [...this.rooms.values()];
  }

  cached(roomId: string): RoomState | undefined {
    return this.rooms.get(roomId);
  }

  async get(roomId: string): Promise<RoomState | null> {
    const cached = this.rooms.get(roomId);
    if (cached) return cached;
    return this.adopt(await this.repo.load(roomId));
  }

  async byCode(code: string): Promise<RoomState | null> {
    const wanted = normaliseCode(code);
    const id = this.codes.get(wanted);
    if (id) return this.get(id);
    return this.adopt(await this.repo.loadByCode(wanted));
  }

  /** Record the latest committed state. */
  set(room: RoomState): void {
    this.rooms.set(room.id, room);
    this.codes.set(room.code, room.id);
  }

  delete(roomId: string): void {
    const room = this.rooms.get(roomId);
    if (room) this.codes.delete(room.code);
    this.rooms.delete(roomId);
  }

  /** A cached copy wins over a storage read that raced with a commit. */
  private adopt(stored: RoomState | null): RoomState | null {
    if (!stored || stored.closedAt !== null) return null;
    const cached = this.rooms.get(stored.id);
    if (cached) return cached;
    this.set(stored);
    this.onAdopt(stored);
    return stored;
  }
}
