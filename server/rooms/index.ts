/** Public surface of the room domain; other layers import from here. */
export * from './types.ts';
export * from './commands.ts';
export { createRoom } from './create-room.ts';
export type { CreateRoomInput } from './create-room.ts';
export { playbackPositionAt, toSnapshot, wireMembers, wirePlayback, wireQueue } from './snapshot.ts';
export { skipVoteCount, skipVotesNeeded } from './votes.ts';
export { validateSettings } from './settings.ts';
