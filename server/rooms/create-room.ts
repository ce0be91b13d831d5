/** A new room: version 1, its creator as the connected host, nothing playing. */
import { AppError } from '../errors.ts';
import { idlePlayback } from './playback-clock.ts';
import { mergeSettings, validateSettings } from './settings.ts';
import { DEFAULT_SETTINGS } from './types.ts';
import type { RoomSettings, RoomState } from './types.ts';

export interface CreateRoomInput {
  id: string;
  code: string;
  name: string;
  host: { userId: string; displayName: string };
  now: number;
  settings?: Partial<RoomSettings>;
}

export function createRoom(input: CreateRoomInput): RoomState {
  const { id, code, name, host, now } = input;
  if (name.trim() === '') throw new AppError('VALIDATION', 'a room needs a name');
  const settings = mergeSettings(DEFAULT_SETTINGS, input.settings ?? {});
  validateSettings(settings, 1);
  return {
    id,
    code,
    name: name.trim(),
    version: 1,
    hostId: host.userId,
    createdAt: now,
    closedAt: null,
    members: [
      {
        userId: host.userId,
        displayName: host.displayName,
        role: 'host',
        connected: true,
        joinedAt: now,
        disconnectedAt: null,
        banned: false,
      },
    ],
    queue: [],
    playback: idlePlayback(now),
    settings,
    skipVotes: [],
    lastPlayedAt: {},
  };
}
