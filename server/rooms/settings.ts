/** room:settings (host only) and the one validator createRoom shares. */
import { AppError } from '../errors.ts';
import type { Handler } from './command-types.ts';
import { activeMembers, requireHost } from './members.ts';
import { clone, commit, unchanged } from './transition.ts';
import type { QueueMode, RoomChange, RoomSettings } from './types.ts';

const QUEUE_MODES: readonly QueueMode[] = ['fifo', 'votes', 'round-robin'];
// Same bounds as the transport's zod schema; repeated here because the domain must not trust callers.
export const LIMITS = { maxQueuedPerMember: 100, maxMembers: 500, label: 40 } as const;

const isInt = (n: unknown, min: number, max: number): boolean =>
  typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;

export function validateSettings(s: RoomSettings, memberCount: number): void {
  const fail = (message: string): never => {
    throw new AppError('VALIDATION', message);
  };
  if (typeof s.guestControls !== 'boolean') fail('guestControls must be true or false');
  if (typeof s.autoplay !== 'boolean') fail('autoplay must be true or false');
  if (!QUEUE_MODES.includes(s.queueMode)) fail(`queueMode must be one of ${QUEUE_MODES.join(', ')}`);
  if (!(typeof s.skipThreshold === 'number' && s.skipThreshold > 0 && s.skipThreshold <= 1)) {
    fail('skipThreshold must be above 0 and at most 1');
  }
  if (!isInt(s.maxQueuedPerMember, 1, LIMITS.maxQueuedPerMember)) {
    fail(`maxQueuedPerMember must be an integer from 1 to ${LIMITS.maxQueuedPerMember}`);
  }
  if (!isInt(s.maxMembers, 1, LIMITS.maxMembers)) fail(`maxMembers must be an integer from 1 to ${LIMITS.maxMembers}`);
  if (s.maxMembers < memberCount) fail(`maxMembers cannot be below the ${memberCount} members already here`);
  for (const key of ['mood', 'activity'] as const) {
    const v = s[key];
    if (v !== undefined && (typeof v !== 'string' || v.length > LIMITS.label)) {
      fail(`${key} must be text of at most ${LIMITS.label} characters`);
    }
  }
}

const KEYS = [
  'guestControls',
  'queueMode',
  'skipThreshold',
  'maxQueuedPerMember',
  'maxMembers',
  'autoplay',
  'mood',
  'activity',
] as const satisfies readonly (keyof RoomSettings)[];

/** Known keys only; an empty mood/activity clears it (JSON cannot carry undefined). */
export function mergeSettings(base: RoomSettings, patch: Partial<RoomSettings>): RoomSettings {
  const next: RoomSettings = { ...base };
  for (const key of KEYS) {
    const v = patch[key];
    if (v !== undefined) Object.assign(next, { [key]: v });
  }
  for (const key of ['mood', 'activity'] as const) {
    const v = next[key];
    if (typeof v !== 'string') continue;
    if (v.trim() === '') delete next[key];
    else next[key] = v.trim();
  }
  return next;
}

export const updateSettings: Handler<'room:settings'> = (room, cmd) => {
  requireHost(room, cmd.actorId, 'change room settings');
  const next = mergeSettings(room.settings, cmd.patch);
  validateSettings(next, activeMembers(room).length);

  const changes: RoomChange[] = [];
  if (KEYS.some((k) => next[k] !== room.settings[k])) changes.push('settings');
  // The order and scores follow the mode; `needed` follows the threshold.
  if (next.queueMode !== room.settings.queueMode) changes.push('queue');
  if (next.skipThreshold !== room.settings.skipThreshold) changes.push('skipVotes');
  if (changes.length === 0) return unchanged(room, cmd, { settings: { ...room.settings } });

  const draft = clone(room);
  draft.settings = next;
  return commit(room, draft, changes, cmd, { settings: { ...next } });
};
