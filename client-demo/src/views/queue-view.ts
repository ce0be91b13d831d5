/** The shared queue: who added what, votes, remove (adder or host), reorder (controllers in fifo mode). */
import type { WireQueueItem } from '../../../server/transport/socket/events.ts';
import { canControl, isHost, memberName, type App } from '../app-context.ts';
import { byId, formatTime, h, replaceKeepingFocus } from '../dom.ts';
import { trackInfo } from '../track-cache.ts';

const MODE_LABEL = { fifo: 'first in, first out', votes: 'most votes first', 'round-robin': 'fair turns (round-robin)' } as const;

export function renderQueue(app: App): void {
  const room = app.state.room;
  if (!room) return;
  const { queueMode, maxQueuedPerMember } = room.settings;
  const mine = room.queue.filter((q) => q.addedBy === app.me.userId).length;
  byId('queue-info').textContent =
    `${room.queue.length} queued · mode: ${MODE_LABEL[queueMode]} · up to ${maxQueuedPerMember} per member (you: ${mine})`;
  const list = byId('queue-list');
  replaceKeepingFocus(
    list,
    room.queue.length === 0
      ? h('li', { class: 'empty' }, 'The queue is empty — search below and add a track.')
      : room.queue.map((item, i) => queueRow(app, item, i, room.queue.length)),
  );
}

function queueRow(app: App, item: WireQueueItem, index: number, total: number): HTMLLIElement {
  const room = app.state.room;
  const t = trackInfo(item.trackId);
  const title = t?.title ?? item.trackId;
  const my = app.myVotes.get(item.id) ?? 0;
  const mayRemove = item.addedBy === app.me.userId || isHost(app);
  const mayMove = canControl(app) && room?.settings.queueMode === 'fifo';
  const by = item.autofill ? 'autoplay' : memberName(app, item.addedBy);
  const vote = (value: -1 | 1) => async () => {
    const next = my === value ? 0 : value;
    if (await app.act('queue:vote', { itemId: item.id, value: next })) {
      if (next === 0) app.myVotes.delete(item.id);
      else app.myVotes.set(item.id, next);
      renderQueue(app);
    }
  };
  return h('li', { class: 'queue-item', 'data-track-id': item.trackId, 'data-item-id': item.id },
    h('div', { class: 'grow' },
      h('div', { class: 'title' }, title),
      h('div', { class: 'sub' }, t ? `${t.artist} · ${t.genre} · ${formatTime(t.durationMs)} · ` : '', `added by ${by}`),
    ),
    h('div', { class: 'row tight', role: 'group', 'aria-label': `Actions for ${title}` },
      h('button', { type: 'button', class: 'icon', 'data-fk': `up-${item.id}`, 'aria-label': `Vote up ${title}`,
        'aria-pressed': String(my === 1), onclick: vote(1) }, '▲'),
      h('span', { class: 'votes', 'aria-label': `net votes ${item.votes}` }, item.votes > 0 ? `+${item.votes}` : String(item.votes)),
      h('button', { type: 'button', class: 'icon', 'data-fk': `down-${item.id}`, 'aria-label': `Vote down ${title}`,
        'aria-pressed': String(my === -1), onclick: vote(-1) }, '▼'),
      mayMove && h('button', { type: 'button', class: 'icon', 'data-fk': `mu-${item.id}`, 'aria-label': `Move ${title} up`,
        disabled: index === 0, onclick: () => void app.act('queue:move', { itemId: item.id, toIndex: index - 1 }) }, '↑'),
      mayMove && h('button', { type: 'button', class: 'icon', 'data-fk': `md-${item.id}`, 'aria-label': `Move ${title} down`,
        disabled: index === total - 1, onclick: () => void app.act('queue:move', { itemId: item.id, toIndex: index + 1 }) }, '↓'),
      mayRemove && h('button', { type: 'button', class: 'icon danger', 'data-fk': `rm-${item.id}`, 'aria-label': `Remove ${title}`,
        onclick: () => void app.act('queue:remove', { itemId: item.id }, `Removed ${title}`) }, '✕'),
    ),
  );
}
