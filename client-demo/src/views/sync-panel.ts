/** Clock sync quality (offset, round trip, drift), the resync button and the sound switch. */
import type { App } from '../app-context.ts';
import { byId } from '../dom.ts';
import { icon } from '../icons.ts';
import type { ClockStatus } from '../clock-sync.ts';

export function renderSyncStatus(app: App, s: ClockStatus): void {
  const quality = !app.clock.synced ? 'unsynced' : s.rtt < 40 ? 'good' : s.rtt < 150 ? 'fair' : 'poor';
  const el = byId('sync-status');
  el.dataset['quality'] = quality;
  byId('sync-offset').textContent = app.clock.synced ? `${s.offset >= 0 ? '+' : ''}${s.offset.toFixed(1)} ms` : '—';
  byId('sync-rtt').textContent = app.clock.synced ? `${s.rtt.toFixed(1)} ms` : '—';
  byId('sync-drift').textContent = s.driftPpm === null ? 'measuring…' : `${s.driftPpm.toFixed(0)} ppm (${((s.driftPpm * 60) / 1000).toFixed(2)} ms/min)`;
  byId('sync-quality').textContent = s.syncing ? 'syncing…' : quality;
  byId('sync-gaps').textContent = String(app.state.gaps);
}

export function wireSyncControls(app: App): void {
  byId<HTMLButtonElement>('resync-btn').onclick = async () => {
    await app.clock.resync();
    const res = await app.act('room:sync', {});
    if (res) app.state.replace(res);
    app.synth.realign();
    app.announce('Resynced with the server clock');
  };
  const sound = byId<HTMLButtonElement>('sound-btn');
  sound.onclick = async () => {
    if (app.synth.enabled) {
      await app.synth.disable();
    } else {
      try {
        await app.synth.enable();
      } catch {
        app.announce('This browser would not start audio', 'error');
      }
    }
    paintSound(sound, app.synth.enabled);
  };
  paintSound(sound, false);
}

function paintSound(button: HTMLButtonElement, on: boolean): void {
  button.setAttribute('aria-pressed', String(on));
  button.replaceChildren(icon(on ? 'sound' : 'mute'), on ? ' Sound on' : ' Enable sound');
}
