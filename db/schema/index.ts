export { users } from './users.ts';
export { tracks } from './tracks.ts';
export { rooms, roomMembers, playbackState } from './rooms.ts';
export { queueItems } from './queue-items.ts';
export { roomEvents } from './room-events.ts';
export { interactions } from './interactions.ts';
export { modelSnapshots } from './model-snapshots.ts';
export { interactionOutbox } from './interaction-outbox.ts';
