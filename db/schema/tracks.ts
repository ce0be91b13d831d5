import { desc } from 'drizzle-orm';
import { doublePrecision, index, integer, pgTable, text } from 'drizzle-orm/pg-core';

/** The trigram indexes, by name (the repository maintains them after bulk loads). */
export const TRGM_INDEXES = ['tracks_title_trgm_idx', 'tracks_artist_trgm_idx'] as const;

export const tracks = pgTable(
  'tracks',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    artist: text('artist').notNull(),
    genre: text('genre').notNull(),
    durationMs: integer('duration_ms').notNull(),
    popularity: integer('popularity'),
    danceability: doublePrecision('danceability').notNull(),
    energy: doublePrecision('energy').notNull(),
    valence: doublePrecision('valence').notNull(),
    tempo: doublePrecision('tempo').notNull(),
    acousticness: doublePrecision('acousticness').notNull(),
    instrumentalness: doublePrecision('instrumentalness').notNull(),
    speechiness: doublePrecision('speechiness').notNull(),
    liveness: doublePrecision('liveness').notNull(),
    loudness: doublePrecision('loudness').notNull(),
  },
  (t) => [
    // Trigram indexes serve both ILIKE '%q%' and the typo-tolerant word_similarity operator (<%).
    index(TRGM_INDEXES[0]).using('gin', t.title.op('gin_trgm_ops')),
    index(TRGM_INDEXES[1]).using('gin', t.artist.op('gin_trgm_ops')),
    // Browsing a genre is ordered by popularity.
    index('tracks_genre_popularity_idx').on(t.genre, desc(t.popularity)),
  ],
);
