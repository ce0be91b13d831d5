/**
 * OpenAPI schemas of what the learning seam answers (server/learning/types.ts). They document the
 * responses and type-check the handlers against the seam's TypeScript types.
 */
import { z } from '@hono/zod-openapi';

export const STRATEGIES = ['average', 'least-misery', 'most-pleasure', 'fair'] as const;

const weights = z.record(z.string(), z.number());

export const RecItemSchema = z
  .object({
    trackId: z.string(),
    title: z.string(),
    artist: z.string(),
    genre: z.string(),
    durationMs: z.number(),
    score: z.number().openapi({ description: 'group score, 0..1' }),
    reason: z.string().openapi({ example: 'Alex and Sam like Jazz' }),
    contributions: weights.openapi({ description: "each model's share of the ensemble score" }),
  })
  .openapi('RecItem');

export const GroupRecsSchema = z
  .object({
    roomId: z.string(),
    code: z.string(),
    version: z.number().int().openapi({ description: 'room version the list was computed against' }),
    modelVersion: z.string(),
    strategy: z.enum(STRATEGIES),
    items: z.array(RecItemSchema),
    weights: weights.openapi({ description: 'ensemble weights this room is served with (sum 1)' }),
    harmony: z.number().openapi({ description: '0..1: how evenly the list serves the connected members' }),
    members: z.array(z.object({ userId: z.string(), satisfaction: z.number() })),
    learned: z.array(z.string()),
    at: z.number().openapi({ description: 'server time (ms since epoch) the list was computed' }),
  })
  .openapi('GroupRecommendations');

export const UserRecsSchema = z.object({ userId: z.string(), items: z.array(RecItemSchema) }).openapi('UserRecommendations');

export const CompatibilitySchema = z
  .object({
    a: z.string(),
    b: z.string(),
    score: z.number().openapi({ description: '0..100' }),
    parts: z.object({ artists: z.number().nullable(), genres: z.number().nullable(), features: z.number().nullable() }),
    reasons: z.object({
      sharedArtists: z.array(z.string()),
      sharedGenres: z.array(z.string()),
      features: z.array(z.object({ name: z.string(), a: z.number(), b: z.number() })),
    }),
    sentence: z.string(),
  })
  .openapi('Compatibility');

export const PreferencesSchema = z
  .object({
    genres: z.array(z.string()).optional(),
    artists: z.array(z.string()).optional(),
    mood: z.string().optional(),
    activity: z.string().optional(),
  })
  .openapi('Preferences');

export const ModelVersionSchema = z
  .object({
    version: z.number().int(),
    createdAt: z.number(),
    interactions: z.number().int(),
    metrics: weights.openapi({ description: "prequential HR@10 per model and 'ensemble' at snapshot time" }),
    weights: weights.openapi({ description: 'global ensemble weights at snapshot time' }),
    active: z.boolean(),
    reason: z.string().openapi({ example: 'interval' }),
    bytes: z.number().int(),
  })
  .openapi('ModelVersion');

export const LearnerStatusSchema = z
  .object({
    received: z.number().int(),
    learned: z.number().int(),
    lag: z.number().int(),
    lagMs: z.number(),
    hitRate: z.record(z.string(), z.number().nullable()),
    weights,
    modelVersion: z.string(),
    backend: z.string(),
  })
  .openapi('LearnerStatus');
