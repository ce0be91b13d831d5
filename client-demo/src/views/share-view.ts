/** How others get in: the room code, the join link and a QR code of it (drawn locally, no network). */
import { toDataURL } from 'qrcode';
import { byId, h, replaceKeepingFocus } from '../dom.ts';

/**
 * The server's join link names localhost unless CHORUS_PUBLIC_URL is set. A local link is replaced by
 * this page's own origin: that address demonstrably reaches the server (a LAN address works for
 * phones; a "localhost" link may even resolve to another process on ::1).
 */
export function joinLinkFor(code: string, serverJoinUrl?: string): string {
  const local = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  if (serverJoinUrl) {
    try {
      if (!local(new URL(serverJoinUrl).hostname)) return serverJoinUrl;
    } catch {
      // fall through to this page's origin
    }
  }
  return `${location.origin}/?room=${encodeURIComponent(code)}`;
}

export async function renderShare(code: string, link: string, roomName: string): Promise<void> {
  byId('room-name').textContent = roomName;
  byId('room-code').textContent = code;
  const qr = await toDataURL(link, { margin: 1, width: 176, errorCorrectionLevel: 'M' }).catch(() => null);
  const copy = h('button', { type: 'button', id: 'copy-link', onclick: async () => {
    try {
      await navigator.clipboard.writeText(link);
      copy.textContent = 'Copied';
    } catch {
      copy.textContent = 'Copy failed — select the link';
    }
  } }, 'Copy link');
  replaceKeepingFocus(
    byId('share-body'),
    h('p', {}, 'Code ', h('strong', { class: 'code', id: 'share-code' }, code)),
    h('p', { class: 'link-row' }, h('a', { href: link, id: 'join-link', class: 'join-link' }, link), ' ', copy),
    qr && h('img', { src: qr, width: 176, height: 176, alt: `QR code of the join link for room ${code}`, class: 'qr' }),
  );
}
