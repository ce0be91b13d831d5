/** Entry point: the lobby, or straight into a room when the URL carries ?room=CODE and we know the name. */
import { api } from './api.ts';
import { identityFor } from './identity.ts';
import { enterRoom } from './session.ts';
import { showLobby } from './views/lobby.ts';

const params = new URLSearchParams(location.search);
const presetCode = params.get('room')?.replace(/[^A-Za-z0-9]/g, '').toUpperCase() || null;

showLobby(
  {
    async create(displayName, roomName) {
      const me = await identityFor(displayName);
      const room = await api.createRoom(me.token, roomName);
      await enterRoom(me, room.code, room.joinUrl);
    },
    async join(displayName, code) {
      const me = await identityFor(displayName);
      await enterRoom(me, code);
    },
  },
  presetCode,
);
