/**
 * One room of the workload, driven from a client worker: the host creates it over HTTP, every member
 * joins over its own websocket; members react (Poisson arrivals) on the current or a queued track, a
 * random member adds a track every few seconds and the host removes the oldest so no queue limit is hit.
 * All of a room's clients live in one thread, so sends, acks and receipts share one clock.
 */
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, PlaybackData, ServerToClientEvents, WireQueueItem } from '../../../server/transport/socket/events.ts';
import type { Counters } from './protocol.ts';
import { poissonDelayMs, wallNow } from './stats.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Also bounds how long the end of a run waits for acks of an overloaded server. */
export const ACK_TIMEOUT_MS = 30_000;
/** The host trims the queue back to this many items after each add. */
const QUEUE_KEEP = 4;

export interface RoomPlan {
  index: number;
  urls: string[];
  members: number;
  rate: number;
  queueEveryS: number;
  pool: readonly string[];
  /** Where in the pool this room starts picking (rooms start at different places). */
  offset: number;
}

export interface Window {
  measureFrom: number;
  measureUntil: number;
}

interface QueueSend {
  sendAt: number;
  version?: number;
}

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

function connect(url: string, token: string): Promise<Client> {
  const socket: Client = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { token },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => reject(new Error(`connect ${url}: ${e.message}`)));
  });
}

export class RoomDriver {
  readonly sockets: Client[] = [];
  private queue: WireQueueItem[] = [];
  private queueVersion = 0;
  private current: string | null = null;
  private nextPick = 0;
  private window: Window = { measureFrom: Infinity, measureUntil: Infinity };
  private timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private pending = 0;

  /** Ack time of every acked interaction id. */
  readonly acks = new Map<string, number>();
  /** Ids sent inside the measured window. */
  readonly measured: string[] = [];
  /** id → first push arrival at each member (NaN until seen). */
  readonly arrivals = new Map<string, Float64Array>();
  readonly queueSends: QueueSend[] = [];
  /** ms from a measured track:react emit to its ack (what the reacting member waits for). */
  readonly reactAckMs: number[] = [];
  /** Per member: [version, arrival, version, arrival, …] of every queue:updated. */
  readonly queueSeen: number[][] = [];
  disconnects = 0;

  constructor(
    private readonly plan: RoomPlan,
    private readonly counters: Counters,
    private readonly errors: Record<string, number>,
  ) {}

  async setup(): Promise<void> {
    const { urls, members, index } = this.plan;
    const base = urls[0] ?? '';
    const users = await Promise.all(
      Array.from({ length: members }, (_, m) =>
        post<{ userId: string; token: string }>(`${base}/api/guests`, { displayName: `r${index}m${m}` }),
      ),
    );
    const host = users[0];
    if (!host) throw new Error('a room needs at least one member');
    const { code } = await post<{ code: string }>(`${base}/api/rooms`, { name: `bench ${index}` }, host.token);
    for (let m = 0; m < members; m++) {
      const user = users[m];
      if (!user) continue;
      const socket = await connect(urls[m % urls.length] ?? base, user.token);
      this.listen(socket, m);
      this.sockets.push(socket);
      this.unwrap(await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('room:join', { code }), 'room:join');
    }
    // A current track to react to, and a few queued ones.
    for (let i = 0; i < 3; i++) {
      this.unwrap(await this.host().timeout(ACK_TIMEOUT_MS).emitWithAck('queue:add', { trackId: this.pick() }), 'queue:add');
    }
    const res: Ack<PlaybackData> = await this.host().timeout(ACK_TIMEOUT_MS).emitWithAck('playback:play', { trackId: this.pick() });
    const played = this.unwrap(res, 'playback:play');
    this.current = played.playback.trackId;
  }

  private host(): Client {
    const h = this.sockets[0];
    if (!h) throw new Error('room has no host socket');
    return h;
  }

  private unwrap<T>(res: Ack<T>, what: string): T {
    if (!res.ok) throw new Error(`${what}: ${res.error.code} ${res.error.message}`);
    return res.data;
  }

  private listen(socket: Client, m: number): void {
    const seen: number[] = [];
    this.queueSeen[m] = seen;
    socket.on('recs:updated', (e) => {
      const t = wallNow();
      this.counters.pushes++;
      for (const id of e.learned) {
        let at = this.arrivals.get(id);
        if (!at) {
          at = new Float64Array(this.plan.members).fill(NaN);
          this.arrivals.set(id, at);
        }
        if (Number.isNaN(at[m])) at[m] = t;
      }
    });
    socket.on('queue:updated', (e) => {
      seen.push(e.version, wallNow());
      this.counters.queueUpdates++;
      if (e.version > this.queueVersion) {
        this.queueVersion = e.version;
        this.queue = e.queue;
      }
    });
    socket.on('playback:updated', (e) => void (this.current = e.playback.trackId ?? this.current));
    socket.on('disconnect', () => void (this.stopped || this.disconnects++));
  }

  /** The next pool track not in the queue (the pool is much longer than the queue). */
  private pick(): string {
    const pool = this.plan.pool;
    for (let k = 0; k < pool.length; k++) {
      const id = pool[(this.plan.offset + this.nextPick++) % pool.length] ?? '';
      if (id !== this.current && !this.queue.some((q) => q.trackId === id)) return id;
    }
    return pool[0] ?? '';
  }

  private fail(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped && wallNow() < this.window.measureUntil) fn();
    }, ms);
    this.timers.add(t);
  }

  start(window: Window): void {
    this.window = window;
    if (this.plan.rate > 0) {
      this.sockets.forEach((s) => this.later(poissonDelayMs(this.plan.rate), () => this.react(s)));
    }
    const every = this.plan.queueEveryS * 1000;
    this.later(Math.random() * every, () => this.queueAdd());
  }

  private inWindow(t: number): boolean {
    return t >= this.window.measureFrom && t < this.window.measureUntil;
  }

  private react(s: Client): void {
    this.later(poissonDelayMs(this.plan.rate), () => this.react(s));
    const queued = this.queue[Math.floor(Math.random() * this.queue.length)]?.trackId;
    const trackId = (Math.random() < 0.7 ? this.current : queued) ?? this.current ?? this.pick();
    const sendAt = wallNow();
    this.counters.sent++;
    this.pending++;
    s.timeout(ACK_TIMEOUT_MS)
      .emitWithAck('track:react', { trackId, reaction: Math.random() < 0.75 ? 'like' : 'dislike' })
      .then(
        (res) => {
          const ackAt = wallNow();
          if (!res.ok) {
            this.counters.ackFailed++;
            return this.fail(res.error.code);
          }
          this.counters.acked++;
          if (this.inWindow(sendAt)) this.reactAckMs.push(ackAt - sendAt);
          for (const id of res.data.interactionIds) {
            this.acks.set(id, ackAt);
            if (this.inWindow(sendAt)) this.measured.push(id);
          }
        },
        () => {
          this.counters.ackFailed++;
          this.fail('TIMEOUT');
        },
      )
      .finally(() => void this.pending--);
  }

  private queueAdd(): void {
    const every = this.plan.queueEveryS * 1000;
    this.later(every * (0.75 + Math.random() * 0.5), () => this.queueAdd());
    const adder = this.sockets[Math.floor(Math.random() * this.sockets.length)];
    if (!adder) return;
    const send: QueueSend = { sendAt: wallNow() };
    if (this.inWindow(send.sendAt)) this.queueSends.push(send);
    this.counters.queueAdds++;
    this.pending++;
    void this.addThenTrim(adder, send).finally(() => void this.pending--);
  }

  /** Never rejects: a timed-out or refused edit is counted, the run goes on. */
  private async addThenTrim(adder: Client, send: QueueSend): Promise<void> {
    try {
      const res = await adder.timeout(ACK_TIMEOUT_MS).emitWithAck('queue:add', { trackId: this.pick() });
      if (!res.ok) return this.fail(res.error.code);
      send.version = res.data.version;
      const drop = this.queue.filter((q) => q.id !== res.data.item.id);
      for (const old of drop.slice(0, Math.max(0, this.queue.length - QUEUE_KEEP))) {
        const r = await this.host().timeout(ACK_TIMEOUT_MS).emitWithAck('queue:remove', { itemId: old.id });
        if (!r.ok && r.error.code !== 'NOT_FOUND') this.fail(r.error.code);
      }
    } catch {
      this.fail('TIMEOUT');
    }
  }

  /** Edits sent and not answered yet (every one is answered or times out within ACK_TIMEOUT_MS). */
  outstanding(): number {
    return this.pending;
  }

  /** True when nothing is outstanding: every ack back, every measured id and add seen by every member. */
  settled(): boolean {
    if (this.pending > 0) return false;
    for (const id of this.measured) {
      const at = this.arrivals.get(id);
      if (!at || at.some(Number.isNaN)) return false;
    }
    for (const q of this.queueSends) {
      if (q.version !== undefined && this.queueSeen.some((seen) => !hasVersion(seen, q.version ?? 0))) return false;
    }
    return true;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  close(): void {
    this.stop();
    for (const s of this.sockets) s.disconnect();
  }
}

function hasVersion(seen: readonly number[], v: number): boolean {
  for (let i = 0; i < seen.length; i += 2) if ((seen[i] ?? 0) >= v) return true;
  return false;
}

/** First arrival at or above `v` in a member's [version, time, …] list. */
export function firstAtOrAbove(seen: readonly number[], v: number): number | undefined {
  for (let i = 0; i < seen.length; i += 2) if ((seen[i] ?? 0) >= v) return seen[i + 1];
  return undefined;
}
