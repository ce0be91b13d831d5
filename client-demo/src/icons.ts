/**
 * Inline SVG icons (no icon font, no emoji: a headless or minimal system may have no emoji font). Always
 * decorative: the button next to them carries the text or an aria-label.
 */
import { svg } from './dom.ts';

const PATHS = {
  play: 'M7 4v16l13-8z',
  pause: 'M6 4h4v16H6zM14 4h4v16h-4z',
  skip: 'M5 4v16l11-8zM17 4h3v16h-3z',
  back: 'M12 5V2L7 6l5 4V7a6 6 0 1 1-6 6H4a8 8 0 1 0 8-8z',
  forward: 'M12 5V2l5 4-5 4V7a6 6 0 1 0 6 6h2a8 8 0 1 1-8-8z',
  like: 'M2 10h4v11H2zM8 21h9.5a2 2 0 0 0 2-1.6l1.4-7A2 2 0 0 0 19 10h-5.3l.8-4.1A2 2 0 0 0 12.6 3.5L8 9z',
  dislike: 'M22 14h-4V3h4zM16 3H6.5a2 2 0 0 0-2 1.6l-1.4 7A2 2 0 0 0 5 14h5.3l-.8 4.1a2 2 0 0 0 1.9 2.4L16 15z',
  sound: 'M3 9v6h4l5 5V4L7 9zM16.5 12a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z',
  mute: 'M3 9v6h4l5 5V4L7 9zM16 9.4l1.4-1.4 2.1 2.1 2.1-2.1L23 9.4 20.9 11.5 23 13.6 21.6 15l-2.1-2.1-2.1 2.1-1.4-1.4 2.1-2.1z',
  sync: 'M12 4V1L8 5l4 4V6a6 6 0 0 1 5.7 7.9l1.5 1.5A8 8 0 0 0 12 4zm0 14a6 6 0 0 1-5.7-7.9L4.8 8.6A8 8 0 0 0 12 20v3l4-4-4-4z',
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName): SVGSVGElement {
  return svg('svg', { viewBox: '0 0 24 24', width: 16, height: 16, class: 'icon', 'aria-hidden': 'true', focusable: 'false' },
    svg('path', { d: PATHS[name], fill: 'currentColor' }));
}
