/** Status messages: visible as a toast and read by screen readers (polite, or assertive for errors). */
import { byId } from '../dom.ts';

let timer: ReturnType<typeof setTimeout> | undefined;

export function announce(message: string, kind: 'info' | 'error' = 'info'): void {
  const polite = byId('announcer');
  const alert = byId('alert');
  const toast = byId('toast');
  (kind === 'error' ? alert : polite).textContent = message;
  toast.textContent = message;
  toast.dataset['kind'] = kind;
  toast.hidden = false;
  if (timer !== undefined) clearTimeout(timer);
  timer = setTimeout(() => {
    toast.hidden = true;
  }, kind === 'error' ? 6000 : 3500);
}
