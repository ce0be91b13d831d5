/**
 * One room session: connect, join, keep the state in step (versions, gaps → room:sync), keep the clock
 * synced, show the reconnect banner, and re-render the views on every change.
 */
import type { RecsUpdatedEvent, ServerToClientEvents } from '../../server/transport/socket/events.ts';
import type { App } from './app-context.ts';
import { isHost } from './app-context.ts';
import { ClockSync } from './clock-sync.ts';
import { call, connect, type ChorusSocket } from './connection.ts';
import { byId } from './dom.ts';
import { forgetIdentity, identityFor, type Identity } from './identity.ts';
import { RecsStore } from './recs-store.ts';
import { RoomState, type RoomBroadcasts } from './room-state.ts';
import { PreviewSynth } from './synth.ts';
import { onTracksLoaded, trackInfo } from './track-cache.ts';
import { announce } from './views/announcer.ts';
import { renderMembers } from './views/members-view.ts';
import { renderNowPlaying, tickProgress } from './views/now-playing.ts';
import { renderQueue } from './views/queue-view.ts';
import { recsAnnouncement, renderRecs } from './views/recs-view.ts';
import { wireSearch } from './views/search-view.ts';
import { renderSettings, wireSettings } from './views/settings-view.ts';
import { joinLinkFor, renderShare } from './views/share-view.ts';
import { renderSyncStatus, wireSyncControls } from './views/sync-panel.ts';

const BROADCASTS: (keyof RoomBroadcasts)[] = ['room:members', 'queue:updated', 'playback:updated', 'host:changed', 'skip:updated'];

function open(token: string, timeoutMs = 10_000): Promise<ChorusSocket> {
  const socket = connect(token);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error('timeout'));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      socket.disconnect();
      reject(err);
    });
  });
}

/** Connect with the stored token; a token the server no longer accepts (new secret) gets replaced once. */
async function openAs(me: Identity): Promise<{ me: Identity; socket: ChorusSocket }> {
  try {
    return { me, socket: await open(me.token) };
  } catch (err) {
    if (!(err instanceof Error) || err.message !== 'UNAUTHORIZED') throw new Error('Cannot reach the server');
    forgetIdentity();
    const fresh = await identityFor(me.displayName);
    return { me: fresh, socket: await open(fresh.token) };
  }
}

export async function enterRoom(identity: Identity, code: string, serverJoinUrl?: string): Promise<App> {
  const { me, socket } = await openAs(identity);
  const state = new RoomState();
  const clock = new ClockSync(async (t0) => {
    const res = await call(socket, 'time:sync', { t0 }, 3000);
    if (!res.ok) throw new Error(res.error.message);
    return res.data;
  });
  const syncing = clock.resync();
  const joined = await call(socket, 'room:join', { code });
  if (!joined.ok) {
    socket.disconnect();
    clock.stop();
    throw new Error(joined.error.code === 'NOT_FOUND' ? `No open room with code ${code}` : joined.error.message);
  }

  let leaving = false;
  const app: App = {
    me,
    socket,
    state,
    clock,
    recs: new RecsStore(),
    synth: new PreviewSynth({
      playback: () => state.room?.playback ?? null,
      traits: (id) => trackInfo(id),
      serverNow: () => clock.now(),
      onStep: (step, notes) => {
        const el = byId('sound-btn');
        el.dataset['step'] = String(step);
        el.dataset['notes'] = String(Number(el.dataset['notes'] ?? 0) + notes);
      },
    }),
    myVotes: new Map(),
    myReactions: new Map(),
    myInteractions: new Set(),
    async act(event, payload, done) {
      const res = await call(socket, event, payload);
      if (!res.ok) {
        announce(`${res.error.message} (${res.error.code})`, 'error');
        return null;
      }
      if (done) announce(done);
      return res.data;
    },
    announce,
    leave() {
      leaving = true;
      void call(socket, 'room:leave', {}, 2000).finally(() => {
        socket.disconnect();
        location.href = '/';
      });
    },
  };

  const resyncRoom = async () => {
    const res = await call(socket, 'room:sync', {});
    if (res.ok) state.replace(res.data);
  };

  for (const event of BROADCASTS) {
    const handler = (payload: RoomBroadcasts[typeof event]) => {
      if (state.apply(event, payload) === 'gap') void resyncRoom();
    };
    (socket.on as (e: string, fn: (p: never) => void) => void)(event, handler);
  }
  socket.on('room:snapshot', (snap) => state.replace(snap));
  const onRecs: ServerToClientEvents['recs:updated'] = (e: RecsUpdatedEvent) => {
    app.recs.push(e);
    renderRecs(app);
    const panel = byId('recs');
    panel.dataset['pushes'] = String(app.recs.pushes);
    const fromMe = e.learned.filter((id) => app.myInteractions.delete(id)).length;
    if (fromMe > 0) panel.dataset['learnedMine'] = String(Number(panel.dataset['learnedMine'] ?? 0) + fromMe);
    byId('recs-live').textContent = fromMe > 0 ? `The room learned from your feedback. ${recsAnnouncement(e)}` : recsAnnouncement(e);
  };
  socket.on('recs:updated', onRecs);
  socket.on('member:kicked', ({ ban }) => {
    leaving = true;
    socket.disconnect();
    alert(ban ? 'You were banned from this room.' : 'The host removed you from this room.');
    location.href = '/';
  });

  const banner = byId('conn-banner');
  socket.on('disconnect', (reason) => {
    if (leaving) return;
    document.body.dataset['drops'] = String(Number(document.body.dataset['drops'] ?? 0) + 1);
    banner.hidden = false;
    banner.textContent = reason === 'io server disconnect' ? 'The server closed the connection.' : 'Connection lost — reconnecting…';
    byId('conn-state').dataset['state'] = 'down';
  });
  socket.io.on('reconnect_attempt', (n) => {
    banner.textContent = `Connection lost — reconnecting (attempt ${n})…`;
  });
  socket.on('connect', () => {
    // The first connect happened before these handlers; every later one is a reconnection.
    void (async () => {
      if (!socket.recovered) {
        const again = await call(socket, 'room:join', { code });
        if (again.ok) state.replace(again.data);
        else announce(`Could not rejoin: ${again.error.message}`, 'error');
      }
      await clock.resync();
      app.synth.realign();
      banner.hidden = true;
      byId('conn-state').dataset['state'] = 'up';
      announce(socket.recovered ? 'Reconnected' : 'Reconnected and resynced');
    })();
  });

  // Views: wire and render everything before the room is shown.
  byId('me-name').textContent = me.displayName;
  history.replaceState(null, '', `/?room=${encodeURIComponent(joined.data.code)}`);
  wireSearch(app);
  wireSettings(app);
  wireSyncControls(app);
  byId<HTMLButtonElement>('leave-btn').onclick = () => app.leave();
  clock.onChange((s) => renderSyncStatus(app, s));
  renderSyncStatus(app, clock.status());
  const renderAll = () => {
    const room = state.room;
    if (!room) return;
    byId('me-role').textContent = isHost(app) ? 'host' : 'member';
    document.body.dataset['role'] = isHost(app) ? 'host' : 'member';
    byId('room').dataset['version'] = String(room.version);
    renderNowPlaying(app);
    renderQueue(app);
    renderMembers(app);
    renderSettings(app);
    renderSyncStatus(app, clock.status());
    if (app.recs.latest) renderRecs(app);
  };
  let lastPlayback = '';
  state.onChange((room) => {
    const key = JSON.stringify(room.playback);
    if (key !== lastPlayback) {
      lastPlayback = key;
      app.synth.realign();
    }
    renderAll();
  });
  onTracksLoaded(renderAll);
  state.replace(joined.data);
  renderRecs(app);
  void renderShare(joined.data.code, joinLinkFor(joined.data.code, serverJoinUrl), joined.data.name);
  byId('lobby').hidden = true;
  byId('room').hidden = false;
  byId('np-heading').focus({ preventScroll: true });
  const frame = () => {
    tickProgress(app);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  await syncing;
  return app;
}
