/**
 * Now playing: the track, a progress bar driven by the synced server clock, playback controls for whoever
 * may control, like/dislike and vote-to-skip with its live count against the threshold.
 */
import { canControl, type App } from '../app-context.ts';
import { byId, formatTime, h, replaceKeepingFocus } from '../dom.ts';
import { icon } from '../icons.ts';
import { positionAt } from '../room-state.ts';
import { trackInfo } from '../track-cache.ts';

export function renderNowPlaying(app: App): void {
  const room = app.state.room;
  if (!room) return;
  const pb = room.playback;
  const track = pb.trackId ? trackInfo(pb.trackId) : undefined;
  const title = byId('np-title');
  const meta = byId('np-meta');
  // Text changes only when the track does, so the aria-live region announces tracks, not ticks.
  const titleText = pb.trackId === null ? 'Nothing playing' : (track?.title ?? 'Loading…');
  if (title.textContent !== titleText) title.textContent = titleText;
  const metaText = track ? `${track.artist} · ${track.genre} · ${Math.round(track.tempo)} BPM · energy ${track.energy.toFixed(2)}` : '';
  if (meta.textContent !== metaText) meta.textContent = metaText;
  byId('np-status').textContent = pb.status === 'playing' ? 'Playing' : pb.status === 'paused' ? 'Paused' : 'Idle';
  byId('np-status').dataset['status'] = pb.status;

  const controls = byId('np-controls');
  const control = canControl(app);
  const reaction = pb.trackId ? app.myReactions.get(pb.trackId) : undefined;
  const { count, needed } = room.skipVotes;
  replaceKeepingFocus(
    controls,
    control &&
      h('div', { class: 'row', role: 'group', 'aria-label': 'Playback controls' },
        pb.status === 'playing'
          ? h('button', { type: 'button', 'data-fk': 'pause', onclick: () => void app.act('playback:pause', {}) }, icon('pause'), ' Pause')
          : h('button', { type: 'button', class: 'primary', 'data-fk': 'play', id: 'play-btn', disabled: pb.trackId === null && room.queue.length === 0,
              onclick: () => void app.act('playback:play', {}) }, icon('play'), ' Play'),
        h('button', { type: 'button', 'data-fk': 'back', 'aria-label': 'Back 10 seconds', disabled: pb.trackId === null,
          onclick: () => void seekBy(app, -10_000) }, icon('back'), ' 10s'),
        h('button', { type: 'button', 'data-fk': 'fwd', 'aria-label': 'Forward 10 seconds', disabled: pb.trackId === null,
          onclick: () => void seekBy(app, 10_000) }, icon('forward'), ' 10s'),
        h('button', { type: 'button', 'data-fk': 'skip', disabled: pb.trackId === null,
          onclick: () => void app.act('playback:skip', {}) }, icon('skip'), ' Skip'),
      ),
    h('div', { class: 'row', role: 'group', 'aria-label': 'Your feedback' },
      h('button', { type: 'button', id: 'like-btn', 'data-fk': 'like', 'aria-pressed': String(reaction === 'like'),
        disabled: pb.trackId === null, onclick: () => void react(app, 'like') }, icon('like'), ' Like'),
      h('button', { type: 'button', id: 'dislike-btn', 'data-fk': 'dislike', 'aria-pressed': String(reaction === 'dislike'),
        disabled: pb.trackId === null, onclick: () => void react(app, 'dislike') }, icon('dislike'), ' Dislike'),
      h('button', { type: 'button', id: 'skip-vote-btn', 'data-fk': 'skipvote', disabled: pb.trackId === null,
        'aria-pressed': String(pb.trackId !== null && votedSkip === pb.trackId), onclick: () => void voteSkip(app) },
        pb.trackId !== null && votedSkip === pb.trackId ? 'Voted to skip' : 'Vote to skip'),
      h('span', { id: 'skip-count', class: 'pill', 'aria-label': `${count} of ${needed} skip votes needed` },
        `${count} / ${needed} to skip`),
    ),
  );
  tickProgress(app);
}

async function seekBy(app: App, deltaMs: number): Promise<void> {
  const pb = app.state.room?.playback;
  if (!pb) return;
  const pos = positionAt(pb, app.clock.now());
  await app.act('playback:seek', { positionMs: Math.max(0, Math.round(pos + deltaMs)) });
}

async function react(app: App, reaction: 'like' | 'dislike'): Promise<void> {
  const trackId = app.state.room?.playback.trackId;
  if (!trackId) return;
  const res = await app.act('track:react', { trackId, reaction });
  if (res) {
    app.myReactions.set(trackId, reaction);
    for (const id of res.interactionIds) app.myInteractions.add(id);
    app.announce(reaction === 'like' ? 'Liked — the room is learning from it' : 'Disliked — noted');
    renderNowPlaying(app);
  }
}

/** The track I voted to skip (the wire only carries the count, not who voted). */
let votedSkip: string | null = null;

async function voteSkip(app: App): Promise<void> {
  const trackId = app.state.room?.playback.trackId ?? null;
  const res = await app.act('skip:vote', {});
  if (res && !res.skipped) {
    votedSkip = trackId;
    renderNowPlaying(app);
  }
  if (res) app.announce(res.skipped ? 'Skipped by vote' : `Skip vote counted: ${res.skipVotes.count} of ${res.skipVotes.needed}`);
}

let lastAria = 0;

/** Called every animation frame: the bar follows the server clock, not local timers. */
export function tickProgress(app: App): void {
  const room = app.state.room;
  const bar = document.getElementById('np-progress');
  if (!room || !bar) return;
  const pb = room.playback;
  const duration = pb.durationMs ?? 0;
  const pos = pb.trackId === null ? 0 : positionAt(pb, app.clock.now());
  const fill = bar.firstElementChild as HTMLElement | null;
  if (fill) fill.style.width = duration > 0 ? `${(100 * pos) / duration}%` : '0%';
  bar.dataset['positionMs'] = String(Math.round(pos));
  const now = performance.now();
  if (now - lastAria > 500) {
    lastAria = now;
    bar.setAttribute('aria-valuemax', String(Math.round(duration / 1000)));
    bar.setAttribute('aria-valuenow', String(Math.floor(pos / 1000)));
    bar.setAttribute('aria-valuetext', `${formatTime(pos)} of ${formatTime(duration)}`);
    byId('np-elapsed').textContent = formatTime(pos);
    byId('np-duration').textContent = formatTime(duration);
  }
}
