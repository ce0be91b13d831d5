/** The first screen: your name, then create a room (you become host) or join one by code or link. */
import { byId } from '../dom.ts';
import { storedIdentity } from '../identity.ts';

export interface LobbyActions {
  create(displayName: string, roomName: string): Promise<void>;
  join(displayName: string, code: string): Promise<void>;
}

export function showLobby(actions: LobbyActions, presetCode: string | null): void {
  byId('lobby').hidden = false;
  byId('room').hidden = true;
  const name = byId<HTMLInputElement>('name-input');
  const code = byId<HTMLInputElement>('code-input');
  const roomName = byId<HTMLInputElement>('room-name-input');
  const error = byId('lobby-error');
  name.value ||= storedIdentity()?.displayName ?? '';
  if (presetCode) {
    code.value = presetCode;
    byId('join-first').hidden = false;
    byId('join-first-code').textContent = presetCode;
  }
  (name.value ? (presetCode ? byId('join-btn') : roomName) : name).focus();

  const guard = (run: () => Promise<void>) => async (e: Event) => {
    e.preventDefault();
    error.textContent = '';
    if (!name.value.trim()) {
      error.textContent = 'Please enter your name first.';
      name.focus();
      return;
    }
    const buttons = [...document.querySelectorAll<HTMLButtonElement>('#lobby button')];
    buttons.forEach((b) => (b.disabled = true));
    try {
      await run();
    } catch (err) {
      error.textContent = err instanceof Error ? err.message : String(err);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  };
  byId<HTMLFormElement>('create-form').onsubmit = guard(() =>
    actions.create(name.value.trim(), roomName.value.trim() || `${name.value.trim()}’s room`),
  );
  byId<HTMLFormElement>('join-form').onsubmit = guard(async () => {
    const c = code.value.trim().replace(/^.*[?&]room=/, '').replace(/[^A-Za-z0-9]/g, '').toUpperCase();
    if (!c) throw new Error('Enter a room code or paste a join link.');
    await actions.join(name.value.trim(), c);
  });
}
