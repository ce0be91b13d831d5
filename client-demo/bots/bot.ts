/**
 * One simulated member: joins over socket.io like the page does, follows the room by versions, and now
 * and then acts on its taste — likes what it loves, dislikes and votes to skip what it cannot stand,
 * queues tracks it likes (often straight from the room's recommendations) and votes on the queue.
 */
import { io } from 'socket.io-client';
import type { Ack, ClientEventName, RecsUpdatedEvent } from '../../server/transport/socket/events.ts';
import { call, type AckData, type ChorusSocket, type Payload } from '../src/connection.ts';
import { RoomState, positionAt, type RoomBroadcasts } from '../src/room-state.ts';
import type { BotArgs } from './args.ts';
import type { BotCatalog } from './catalog.ts';
import { scoreTrack, type Rng, type Taste } from './taste.ts';

const BROADCASTS: (keyof RoomBroadcasts)[] = ['room:members', 'queue:updated', 'playback:updated', 'host:changed', 'skip:updated'];

export class Bot {
  private socket: ChorusSocket | undefined;
  private userId = '';
  private readonly room = new RoomState();
  private recs: RecsUpdatedEvent | null = null;
  private readonly reacted = new Set<string>();
  private readonly voted = new Set<string>();
  private readonly skipVoted = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  actions = 0;

  constructor(
    readonly taste: Taste,
    private readonly args: BotArgs,
    private readonly catalog: BotCatalog,
    private readonly rand: Rng,
    private readonly log: (line: string) => void,
  ) {}

  async start(): Promise<void> {
    const res = await fetch(`${this.args.url}/api/guests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: this.taste.name.slice(0, 40) }),
    });
    if (!res.ok) throw new Error(`POST /api/guests: HTTP ${res.status}`);
    const guest = (await res.json()) as { userId: string; token: string };
    this.userId = guest.userId;
    const socket: ChorusSocket = io(this.args.url, { auth: { token: guest.token }, transports: ['websocket'], forceNew: true });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    for (const event of BROADCASTS) {
      (socket.on as (e: string, fn: (p: never) => void) => void)(event, (p: RoomBroadcasts[typeof event]) => {
        if (this.room.apply(event, p) === 'gap') void this.sync();
      });
    }
    socket.on('room:snapshot', (s) => this.room.replace(s));
    socket.on('recs:updated', (e) => (this.recs = e));
    socket.on('member:kicked', () => this.stop());
    socket.on('connect', () => void this.rejoin());
    await this.rejoin();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.socket?.disconnect();
  }

  private async rejoin(): Promise<void> {
    if (this.socket?.recovered) return;
    const joined = await this.call('room:join', { code: this.args.room });
    if (!joined.ok) throw new Error(`${this.taste.name}: room:join ${joined.error.code} ${joined.error.message}`);
    this.room.replace(joined.data);
  }

  private async sync(): Promise<void> {
    const res = await this.call('room:sync', {});
    if (res.ok) this.room.replace(res.data);
  }

  private schedule(): void {
    if (this.stopped) return;
    // Jittered gaps so eight bots do not act in lockstep.
    const wait = this.args.paceMs * (0.4 + this.rand() * 1.2);
    this.timer = setTimeout(() => {
      this.step()
        .catch((err: unknown) => this.log(`${this.taste.name}: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => this.schedule());
    }, wait);
  }

  private call<E extends ClientEventName>(event: E, payload: Payload<E>): Promise<Ack<AckData<E>>> {
    if (!this.socket) return Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'not connected' } });
    return call(this.socket, event, payload);
  }

  /** One decision: react to the current track first, else queue something, else vote on the queue. */
  private async step(): Promise<void> {
    const room = this.room.room;
    if (!room || !this.socket?.connected) return;
    const pb = room.playback;

    // Server and bots share a machine (or NTP): Date.now() is close enough to the server clock here.
    const played = pb.trackId && pb.status === 'playing' ? positionAt(pb, Date.now()) : 0;
    if (pb.trackId && played > 1500 && !this.skipVoted.has(pb.trackId)) {
      const track = await this.catalog.get(pb.trackId);
      if (track) {
        const s = scoreTrack(this.taste, track);
        if (!this.reacted.has(track.id)) {
          this.reacted.add(track.id);
          if (s >= this.taste.likeAt) return this.act('track:react', { trackId: track.id, reaction: 'like' }, `👍 likes "${track.title}" (${track.genre}, ${s.toFixed(2)})`);
          if (s <= this.taste.dislikeAt) {
            this.skipVoted.add(track.id);
            await this.act('track:react', { trackId: track.id, reaction: 'dislike' }, `👎 dislikes "${track.title}" (${track.genre}, ${s.toFixed(2)})`);
            return this.act('skip:vote', {}, `⏭ votes to skip "${track.title}"`);
          }
        } else if (s < 0.5 && played > 20_000 && this.rand() < 0.5) {
          // Lukewarm tracks wear thin: the room moves on from what suits few of its members.
          this.skipVoted.add(track.id);
          return this.act('skip:vote', {}, `⏭ grows tired of "${track.title}" (${s.toFixed(2)})`);
        }
      }
    }

    if (this.args.drive && pb.status !== 'playing' && room.queue.length > 0 && (room.settings.guestControls || room.hostId === this.userId)) {
      return this.act('playback:play', {}, '▶ starts playback');
    }

    const mine = room.queue.filter((q) => q.addedBy === this.userId).length;
    const limit = Math.min(2, room.settings.maxQueuedPerMember);
    if (mine < limit && this.rand() < 0.6) {
      const pick = await this.choose(new Set([...room.queue.map((q) => q.trackId), pb.trackId ?? '']));
      if (pick) return this.act('queue:add', { trackId: pick.id }, `➕ adds "${pick.title}" (${pick.genre}) ${pick.from}`);
    }

    const open = room.queue.filter((q) => q.addedBy !== this.userId && !this.voted.has(q.id));
    const item = open[Math.floor(this.rand() * open.length)];
    if (item) {
      const track = await this.catalog.get(item.trackId);
      if (!track) return;
      this.voted.add(item.id);
      const s = scoreTrack(this.taste, track);
      if (s >= this.taste.likeAt - 0.1) return this.act('queue:vote', { itemId: item.id, value: 1 }, `▲ upvotes "${track.title}"`);
      if (s <= this.taste.dislikeAt) return this.act('queue:vote', { itemId: item.id, value: -1 }, `▼ downvotes "${track.title}"`);
    }
  }

  /** Prefer the room's own picks that fit this taste (that is how the room converges), else the catalog. */
  private async choose(exclude: Set<string>): Promise<{ id: string; title: string; genre: string; from: string } | undefined> {
    if (this.recs && this.rand() < 0.5) {
      for (const item of this.recs.items.slice(0, 10)) {
        if (exclude.has(item.trackId)) continue;
        const track = await this.catalog.get(item.trackId);
        if (track && scoreTrack(this.taste, track) >= this.taste.likeAt - 0.05) {
          return { id: track.id, title: track.title, genre: track.genre, from: 'from the picks' };
        }
      }
    }
    const ranked = this.catalog
      .all()
      .filter((t) => !exclude.has(t.id))
      .map((t) => ({ t, s: scoreTrack(this.taste, t) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 25);
    const hit = ranked[Math.floor(this.rand() * ranked.length)];
    return hit && { id: hit.t.id, title: hit.t.title, genre: hit.t.genre, from: 'from the catalog' };
  }

  private async act<E extends ClientEventName>(event: E, payload: Payload<E>, what: string): Promise<void> {
    const res = await this.call(event, payload);
    this.actions++;
    if (res.ok) this.log(`${this.taste.name} ${what}`);
    else if (!this.args.quiet) this.log(`${this.taste.name} ${event} refused: ${res.error.code} ${res.error.message}`);
  }
}
