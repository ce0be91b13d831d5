/**
 * The room learning, made visible: top picks with reasons (one click to queue), how satisfied each member
 * is, the room's harmony and the ensemble's weights over time.
 */
import type { RecsUpdatedEvent } from '../../../server/transport/socket/events.ts';
import { memberName, type App } from '../app-context.ts';
import { byId, h, replaceKeepingFocus } from '../dom.ts';
import { weightsChart } from './weights-chart.ts';

export function renderRecs(app: App): void {
  const e = app.recs.latest;
  const body = byId('recs-body');
  if (!e) {
    replaceKeepingFocus(body, h('p', { class: 'empty' }, 'Waiting for the room’s first recommendations — they arrive on join and after likes, skips and adds.'));
    return;
  }
  const queued = new Set(app.state.room?.queue.map((q) => q.trackId) ?? []);
  replaceKeepingFocus(
    body,
    h('p', { class: 'sub', id: 'recs-meta' },
      `strategy ${e.strategy} · model ${e.modelVersion} · update #${app.recs.pushes}`,
      e.learned.length > 0 ? ` · learned ${e.learned.length} new interaction${e.learned.length === 1 ? '' : 's'}` : ''),
    h('ol', { class: 'picks', id: 'recs-list' },
      e.items.slice(0, 8).map((item) =>
        h('li', { class: 'pick', 'data-track-id': item.trackId },
          h('div', { class: 'grow' },
            h('div', { class: 'title' }, item.title),
            h('div', { class: 'sub' }, `${item.artist} · ${item.genre}`),
            h('div', { class: 'reason' }, item.reason),
          ),
          h('span', { class: 'score', 'aria-label': `score ${Math.round(item.score * 100)} of 100` }, `${Math.round(item.score * 100)}`),
          h('button', { type: 'button', class: 'add', 'data-fk': `rec-${item.trackId}`, disabled: queued.has(item.trackId),
            'aria-label': `Add ${item.title} to the queue`,
            onclick: () => void app.act('queue:add', { trackId: item.trackId }, `Added ${item.title}`) },
            queued.has(item.trackId) ? 'Queued' : '+ Add'),
        ),
      ),
    ),
    h('div', { class: 'satisfaction' },
      h('h3', {}, 'Harmony ', h('span', { id: 'harmony' }, `${Math.round(e.harmony * 100)}%`)),
      meter('Harmony', e.harmony, 'harmony-meter'),
      h('ul', { class: 'bars', 'aria-label': 'Member satisfaction' },
        e.members.map((m) =>
          h('li', {}, h('span', { class: 'who' }, memberName(app, m.userId)), meter(`${memberName(app, m.userId)} satisfaction`, m.satisfaction)),
        ),
      ),
    ),
    h('div', { class: 'weights' }, h('h3', {}, 'Model weights'), weightsChart(app.recs.history)),
  );
}

function meter(label: string, value: number, id?: string): HTMLElement {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return h('div', { class: 'meter', role: 'meter', id, 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct, 'aria-valuetext': `${pct}%` },
    h('span', { style: `width:${pct}%` }),
  );
}

/** A short sentence for the live region: what changed, without reading the whole list. */
export function recsAnnouncement(e: RecsUpdatedEvent): string {
  const top = e.items[0];
  return top ? `Recommendations updated: top pick ${top.title} by ${top.artist}` : 'Recommendations updated';
}
