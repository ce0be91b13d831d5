import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { RoomService } from '../../services/types.ts';
import { bearer } from './bearer.ts';
import { readJson } from './errors.ts';
import { parseOrThrow } from './validate.ts';

const CreateRoomBody = z.strictObject({
  name: z.string().trim().min(1).max(80),
});
const Code = z.string().regex(/^[A-Za-z0-9]{4,12}$/, 'room code must be 4-12 letters or digits');

export function roomRoutes(deps: Pick<AppDeps, 'auth'> & { rooms: RoomService; joinUrl: (code: string) => string }) {
  return new Hono()
    .post('/', bearer(deps.auth), async (c) => {
      const { name } = parseOrThrow(CreateRoomBody, await readJson(c));
      const user = c.get('user');
      const { roomId, code } = await deps.rooms.createRoom(user, name);
      return c.json({ roomId, code, joinUrl: deps.joinUrl(code) }, 201);
    })
    .get('/:code', async (c) => {
      const code = parseOrThrow(Code, c.req.param('code')).toUpperCase();
      const summary = await deps.rooms.summaryByCode(code);
      if (!summary) throw new AppError('NOT_FOUND', `no room with code ${code}`);
      return c.json(summary);
    });
}
