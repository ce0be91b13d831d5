/** Search the catalog (typo-tolerant on the server) and add a result to the queue. */
import type { App } from '../app-context.ts';
import { api, type CatalogTrack } from '../api.ts';
import { byId, formatTime, h, replaceKeepingFocus } from '../dom.ts';
import { remember } from '../track-cache.ts';

export function wireSearch(app: App): void {
  const form = byId<HTMLFormElement>('search-form');
  const input = byId<HTMLInputElement>('search-input');
  const results = byId('search-results');
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const run = async () => {
    const mine = ++seq;
    results.setAttribute('aria-busy', 'true');
    try {
      const tracks = await api.searchTracks(input.value.trim(), 8);
      if (mine !== seq) return;
      remember(tracks);
      replaceKeepingFocus(
        results,
        tracks.length === 0 ? h('li', { class: 'empty' }, 'No tracks found') : tracks.map((t) => resultRow(app, t)),
      );
      byId('search-count').textContent = `${tracks.length} result${tracks.length === 1 ? '' : 's'}`;
    } catch {
      if (mine === seq) app.announce('Search failed', 'error');
    } finally {
      if (mine === seq) results.removeAttribute('aria-busy');
    }
  };
  form.onsubmit = (e) => {
    e.preventDefault();
    if (timer !== undefined) clearTimeout(timer);
    void run();
  };
  input.oninput = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void run(), 250);
  };
  void run();
}

function resultRow(app: App, t: CatalogTrack): HTMLLIElement {
  return h('li', { class: 'result', 'data-track-id': t.id },
    h('div', { class: 'grow' },
      h('div', { class: 'title' }, t.title),
      h('div', { class: 'sub' }, `${t.artist} · ${t.genre} · ${formatTime(t.durationMs)}`),
    ),
    h('button', { type: 'button', class: 'add', 'data-fk': `add-${t.id}`, 'aria-label': `Add ${t.title} by ${t.artist} to the queue`,
      onclick: () => void app.act('queue:add', { trackId: t.id }, `Added ${t.title}`) }, '+ Add'),
  );
}
