import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { RoomService } from '../../services/types.ts';
import { bearer } from './bearer.ts';
import { BEARER, errorResponses, jsonBody, jsonResponse, openApiApp } from './openapi.ts';

const CreateRoomBody = z.strictObject({
  name: z.string().trim().min(1).max(80),
});
export const RoomCode = z
  .string()
  .regex(/^[A-Za-z0-9]{4,12}$/, 'room code must be 4-12 letters or digits')
  .openapi({ example: 'K7QX2M' });

const CreatedRoom = z.object({ roomId: z.string(), code: z.string(), joinUrl: z.string() }).openapi('CreatedRoom');
const RoomSummary = z
  .object({
    roomId: z.string(),
    code: z.string(),
    name: z.string(),
    memberCount: z.number().int(),
    nowPlaying: z
      .object({
        trackId: z.string(),
        status: z.enum(['playing', 'paused']),
        positionMs: z.number(),
        at: z.number(),
      })
      .nullable(),
  })
  .openapi('RoomSummary');

const getRoom = createRoute({
  method: 'get',
  path: '/{code}',
  tags: ['rooms'],
  summary: 'A room by its join code',
  request: { params: z.object({ code: RoomCode }) },
  responses: { 200: jsonResponse(RoomSummary, 'the room'), ...errorResponses('VALIDATION', 'NOT_FOUND') },
});

export function roomRoutes(deps: Pick<AppDeps, 'auth'> & { rooms: RoomService; joinUrl: (code: string) => string }) {
  const createRoom = createRoute({
    method: 'post',
    path: '/',
    tags: ['rooms'],
    summary: 'Open a room with the caller as host',
    security: [{ [BEARER]: [] }],
    middleware: bearer(deps.auth),
    request: { body: jsonBody(CreateRoomBody) },
    responses: {
      201: jsonResponse(CreatedRoom, 'the room, its code and join link'),
      ...errorResponses('VALIDATION', 'UNAUTHORIZED', 'UNAVAILABLE'),
    },
  });

  return openApiApp()
    .openapi(createRoom, async (c) => {
      const { name } = c.req.valid('json');
      const user = c.get('user');
      const { roomId, code } = await deps.rooms.createRoom(user, name);
      return c.json({ roomId, code, joinUrl: deps.joinUrl(code) }, 201);
    })
    .openapi(getRoom, async (c) => {
      const code = c.req.valid('param').code.toUpperCase();
      const summary = await deps.rooms.summaryByCode(code);
      if (!summary) throw new AppError('NOT_FOUND', `no room with code ${code}`);
      return c.json(summary, 200);
    });
}
