import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { parseOrThrow } from './validate.ts';

const SearchQuery = z.object({
  q: z.string().trim().max(200).optional(),
  genre: z.string().trim().max(60).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export function trackRoutes(deps: Pick<AppDeps, 'db'>) {
  return new Hono()
    .get('/', async (c) => {
      const query = parseOrThrow(SearchQuery, c.req.query());
      const tracks = await deps.db.repos.tracks.search({
        q: query.q || undefined,
        genre: query.genre || undefined,
        limit: query.limit,
      });
      return c.json({ tracks });
    })
    .get('/genres', async (c) => c.json({ genres: await deps.db.repos.tracks.genres() }))
    .get('/:id', async (c) => {
      const id = parseOrThrow(z.string().min(1).max(100), c.req.param('id'));
      const track = await deps.db.repos.tracks.get(id);
      if (!track) throw new AppError('NOT_FOUND', `no track ${id}`);
      return c.json(track);
    });
}
