import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { errorResponses, jsonResponse, openApiApp } from './openapi.ts';

const SearchQuery = z.object({
  q: z.string().trim().max(200).optional(),
  genre: z.string().trim().max(60).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const feature = z.number();
export const TrackSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    artist: z.string(),
    genre: z.string(),
    durationMs: z.number(),
    popularity: z.number().nullable(),
    danceability: feature,
    energy: feature,
    valence: feature,
    tempo: feature,
    acousticness: feature,
    instrumentalness: feature,
    speechiness: feature,
    liveness: feature,
    loudness: feature,
  })
  .openapi('Track');

const search = createRoute({
  method: 'get',
  path: '/',
  tags: ['catalog'],
  summary: 'Typo-tolerant search by title and artist, optionally within a genre',
  request: { query: SearchQuery },
  responses: { 200: jsonResponse(z.object({ tracks: z.array(TrackSchema) }), 'matching tracks, best first'), ...errorResponses('VALIDATION') },
});

const genres = createRoute({
  method: 'get',
  path: '/genres',
  tags: ['catalog'],
  summary: 'Genres in the catalog with their track counts',
  responses: {
    200: jsonResponse(z.object({ genres: z.array(z.object({ genre: z.string(), count: z.number().int() })) }), 'genres'),
  },
});

const getTrack = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['catalog'],
  summary: 'One track',
  request: { params: z.object({ id: z.string().min(1).max(100) }) },
  responses: { 200: jsonResponse(TrackSchema, 'the track'), ...errorResponses('VALIDATION', 'NOT_FOUND') },
});

export function trackRoutes(deps: Pick<AppDeps, 'db'>) {
  return openApiApp()
    .openapi(search, async (c) => {
      const query = c.req.valid('query');
      const tracks = await deps.db.repos.tracks.search({
        q: query.q || undefined,
        genre: query.genre || undefined,
        limit: query.limit,
      });
      return c.json({ tracks }, 200);
    })
    .openapi(genres, async (c) => c.json({ genres: await deps.db.repos.tracks.genres() }, 200))
    .openapi(getTrack, async (c) => {
      const { id } = c.req.valid('param');
      const track = await deps.db.repos.tracks.get(id);
      if (!track) throw new AppError('NOT_FOUND', `no track ${id}`);
      return c.json(track, 200);
    });
}
