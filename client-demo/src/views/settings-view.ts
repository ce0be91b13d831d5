/**
 * Room settings. Everyone sees them; only the host can change them. Each control saves on change, so
 * there is no half-edited form to lose when a room:snapshot arrives.
 */
import type { RoomSettings } from '../../../server/transport/socket/events.ts';
import { isHost, type App } from '../app-context.ts';
import { byId, h } from '../dom.ts';

type Field = keyof RoomSettings;

interface Control {
  field: Field;
  el: HTMLInputElement | HTMLSelectElement;
  read(): RoomSettings[Field] | undefined;
  write(v: RoomSettings[Field]): void;
}

const controls: Control[] = [];

function checkbox(field: 'guestControls' | 'autoplay', label: string, hint: string): HTMLElement {
  const el = h('input', { type: 'checkbox', id: `set-${field}`, 'aria-describedby': `set-${field}-hint` });
  controls.push({ field, el, read: () => el.checked, write: (v) => (el.checked = v === true) });
  return h('div', { class: 'field check' }, el, h('label', { for: el.id }, label), h('small', { id: `set-${field}-hint` }, hint));
}

function select<F extends 'queueMode' | 'strategy'>(field: F, label: string, options: [RoomSettings[F], string][]): HTMLElement {
  const el = h('select', { id: `set-${field}` }, options.map(([v, text]) => h('option', { value: String(v) }, text)));
  controls.push({ field, el, read: () => el.value as RoomSettings[F], write: (v) => (el.value = String(v)) });
  return h('div', { class: 'field' }, h('label', { for: el.id }, label), el);
}

function number(field: 'skipThreshold' | 'maxQueuedPerMember', label: string, min: number, max: number, step: number): HTMLElement {
  const el = h('input', { type: 'number', id: `set-${field}`, min, max, step, inputmode: 'decimal' });
  controls.push({
    field,
    el,
    read: () => {
      const n = Number(el.value);
      return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
    },
    write: (v) => (el.value = String(v)),
  });
  return h('div', { class: 'field' }, h('label', { for: el.id }, label), el);
}

function text(field: 'mood' | 'activity', label: string, placeholder: string): HTMLElement {
  const el = h('input', { type: 'text', id: `set-${field}`, maxlength: 40, placeholder, autocomplete: 'off' });
  controls.push({ field, el, read: () => el.value.trim(), write: (v) => (el.value = typeof v === 'string' ? v : '') });
  return h('div', { class: 'field' }, h('label', { for: el.id }, label), el);
}

export function wireSettings(app: App): void {
  const form = byId<HTMLFormElement>('settings-form');
  form.append(
    checkbox('guestControls', 'Guest controls', 'Everyone may play, pause, skip and reorder'),
    select('queueMode', 'Queue mode', [['fifo', 'First in, first out'], ['votes', 'Most votes first'], ['round-robin', 'Fair turns']]),
    number('skipThreshold', 'Skip threshold (share of members)', 0.05, 1, 0.05),
    number('maxQueuedPerMember', 'Tracks each member may queue', 1, 100, 1),
    checkbox('autoplay', 'Autoplay', 'Fill an empty queue from the recommendations'),
    select('strategy', 'Group strategy', [['fair', 'Fair (least served first)'], ['average', 'Average'], ['least-misery', 'Least misery'], ['most-pleasure', 'Most pleasure']]),
    text('mood', 'Mood', 'e.g. chill'),
    text('activity', 'Activity', 'e.g. dinner'),
  );
  form.onsubmit = (e) => e.preventDefault();
  for (const c of controls) {
    c.el.addEventListener('change', () => {
      const value = c.read();
      if (value === undefined) {
        app.announce(`${c.field}: out of range`, 'error');
        return;
      }
      void app.act('room:settings', { [c.field]: value } as Partial<RoomSettings>, 'Settings saved');
    });
  }
}

export function renderSettings(app: App): void {
  const room = app.state.room;
  if (!room) return;
  const host = isHost(app);
  const st = room.settings;
  byId('settings-note').textContent = host ? 'Changes apply at once for everyone.' : 'Only the host can change these.';
  byId('settings-form').hidden = !host;
  const summary = byId('settings-summary');
  summary.hidden = host;
  if (!host) {
    summary.textContent = [
      `guest controls ${st.guestControls ? 'on' : 'off'}`,
      `queue ${st.queueMode}`,
      `skip at ${Math.round(st.skipThreshold * 100)}% of members`,
      `${st.maxQueuedPerMember} tracks each`,
      `autoplay ${st.autoplay ? 'on' : 'off'}`,
      `strategy ${st.strategy}`,
      st.mood ? `mood ${st.mood}` : '',
      st.activity ? `activity ${st.activity}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
  }
  for (const c of controls) {
    c.el.disabled = !host;
    if (document.activeElement !== c.el) c.write(st[c.field]);
  }
}
