import path from 'node:path';
import { z } from 'zod';

/**
 * Defaults merged with one explicit env→field table. Every timeout is tunable so tests run fast.
 * The README's configuration table mirrors ENV_TABLE; keep them together.
 */
const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  databaseUrl: z.string().optional(),
  redisUrl: z.string().optional(),
  secret: z.string().min(16).optional(),
  origins: z.array(z.string()),
  publicUrl: z.string().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  hostGraceMs: z.coerce.number().int().min(0),
  roomIdleMs: z.coerce.number().int().min(0),
  maxPayloadBytes: z.coerce.number().int().min(256),
  rateLimitPoints: z.coerce.number().int().min(1),
  rateLimitDurationS: z.coerce.number().int().min(1),
  maxRooms: z.coerce.number().int().min(1),
  seedCatalog: z.boolean(),
  catalogSize: z.coerce.number().int().min(0),
  learner: z.boolean(),
  /** Models of the live learner, comma-separated (empty: the registry's default set). */
  models: z.array(z.string()),
  recsK: z.coerce.number().int().min(1).max(50),
  snapshotIntervalS: z.coerce.number().int().min(0),
  snapshotEvery: z.coerce.number().int().min(0),
  snapshotsKept: z.coerce.number().int().min(1),
  learnerSeed: z.coerce.number().int(),
  learnerTestEvery: z.coerce.number().int().min(1),
  learnerNice: z.coerce.number().int().min(0).max(19),
  /** Bearer token of the operator-only HTTP routes (model rollback, snapshots); unset disables them. */
  adminToken: z.string().min(16, 'CHORUS_ADMIN_TOKEN must be at least 16 characters').optional(),
  /** Scale-out (REDIS_URL): the interaction stream, the learners' consumer group and its tuning. */
  interactionStream: z.string().min(1),
  learnerGroup: z.string().min(1),
  streamMaxLen: z.coerce.number().int().min(1000),
  streamClaimIdleMs: z.coerce.number().int().min(100),
  streamMaxDeliveries: z.coerce.number().int().min(1),
  /** Prefix of every other cluster key (socket.io stream, recs, room contexts, learner requests). */
  redisPrefix: z.string().min(1),
  /** Redis room state: an untouched room's keys expire after this long (re-seeded from Postgres). */
  roomStateTtlS: z.coerce.number().int().min(60),
  /** Cluster mode: how often the outbox relay re-publishes interactions whose publish failed. */
  outboxRelayMs: z.coerce.number().int().min(50),
  /** Cluster mode: how often a node checks that members shown connected have a socket on some node (0: never). */
  presenceSweepMs: z.coerce.number().int().refine((ms) => ms === 0 || ms >= 200, 'must be 0 (off) or at least 200'),
  /** Postgres: a hot-path query not answered in this long fails with UNAVAILABLE. */
  dbTimeoutMs: z.coerce.number().int().min(100),
  /** PGlite runs in its own thread (off the event loop). */
  dbThread: z.boolean(),
});

export type Config = z.infer<typeof ConfigSchema>;

export const DEFAULTS: Config = {
  port: 3000,
  host: '0.0.0.0',
  dataDir: './.chorus',
  origins: ['*'],
  logLevel: 'info',
  hostGraceMs: 30_000,
  roomIdleMs: 600_000,
  maxPayloadBytes: 16 * 1024,
  rateLimitPoints: 50,
  rateLimitDurationS: 1,
  maxRooms: 10_000,
  seedCatalog: true,
  catalogSize: 5_000,
  learner: true,
  models: [],
  recsK: 10,
  snapshotIntervalS: 600,
  snapshotEvery: 50_000,
  snapshotsKept: 10,
  learnerSeed: 1,
  learnerTestEvery: 4,
  learnerNice: 0,
  interactionStream: 'chorus:interactions',
  learnerGroup: 'chorus-learners',
  streamMaxLen: 1_000_000,
  streamClaimIdleMs: 30_000,
  streamMaxDeliveries: 5,
  redisPrefix: 'chorus',
  roomStateTtlS: 6 * 3600,
  outboxRelayMs: 2_000,
  presenceSweepMs: 15_000,
  dbTimeoutMs: 1_500,
  dbThread: true,
};

type Parser = (raw: string) => unknown;
const asList: Parser = (raw) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const asBool: Parser = (raw) => !['0', 'false', 'no', 'off', ''].includes(raw.trim().toLowerCase());
const asIs: Parser = (raw) => raw;

/** env var → [config field, parser, description]. The README's table is generated from the same facts. */
export const ENV_TABLE: Record<string, [keyof Config, Parser, string]> = {
  PORT: ['port', asIs, 'HTTP + socket.io port'],
  HOST: ['host', asIs, 'bind address'],
  CHORUS_DATA_DIR: ['dataDir', asIs, 'embedded PGlite data and generated secret live here (memory:// keeps the database in memory)'],
  DATABASE_URL: ['databaseUrl', asIs, 'postgres://… switches from PGlite to Postgres'],
  REDIS_URL: ['redisUrl', asIs, 'redis://… switches realtime seams to Redis'],
  CHORUS_SECRET: ['secret', asIs, 'token signing secret (≥16 chars); generated into the data dir when unset'],
  CHORUS_ORIGINS: ['origins', asList, 'comma-separated allowed browser origins, * for any'],
  CHORUS_PUBLIC_URL: ['publicUrl', asIs, 'base URL used in join links (default http://localhost:PORT)'],
  LOG_LEVEL: ['logLevel', asIs, 'pino log level'],
  CHORUS_HOST_GRACE_MS: ['hostGraceMs', asIs, 'how long a dropped host keeps the role'],
  CHORUS_ROOM_IDLE_MS: ['roomIdleMs', asIs, 'an empty room closes after this long'],
  CHORUS_MAX_PAYLOAD_BYTES: ['maxPayloadBytes', asIs, 'larger socket payloads are refused'],
  CHORUS_RATE_LIMIT_POINTS: ['rateLimitPoints', asIs, 'socket events allowed per window'],
  CHORUS_RATE_LIMIT_DURATION_S: ['rateLimitDurationS', asIs, 'rate limit window in seconds'],
  CHORUS_MAX_ROOMS: ['maxRooms', asIs, 'cap on open rooms per server'],
  CHORUS_SEED_CATALOG: ['seedCatalog', asBool, 'insert the generated catalog on first start'],
  CHORUS_CATALOG_SIZE: ['catalogSize', asIs, 'tracks in the generated catalog'],
  CHORUS_LEARNER: ['learner', asBool, 'run the learner thread (live recommendations); 0 turns learning off'],
  CHORUS_MODELS: ['models', asList, 'models of the live learner, comma-separated (default: all)'],
  CHORUS_RECS_K: ['recsK', asIs, 'tracks per recs:updated push'],
  CHORUS_SNAPSHOT_INTERVAL_S: ['snapshotIntervalS', asIs, 'snapshot the models this often when they learned (0: only at shutdown)'],
  CHORUS_SNAPSHOT_EVERY: ['snapshotEvery', asIs, '…and after this many interactions (0: off)'],
  CHORUS_SNAPSHOTS_KEPT: ['snapshotsKept', asIs, 'model registry versions kept (the active one always is)'],
  CHORUS_LEARNER_SEED: ['learnerSeed', asIs, 'seed of the live learner'],
  CHORUS_LEARNER_TEST_EVERY: ['learnerTestEvery', asIs, 'prequential HR@10 tests one in this many positive interactions (all are learned)'],
  CHORUS_LEARNER_NICE: ['learnerNice', asIs, 'CPU priority of the learner thread as a nice value, 0–19 (Linux; 0 = same as the socket loop)'],
  CHORUS_ADMIN_TOKEN: ['adminToken', asIs, 'bearer token of the admin HTTP routes (≥16 chars); unset → they answer 403'],
  CHORUS_INTERACTION_STREAM: ['interactionStream', asIs, 'Redis Stream of interactions (REDIS_URL)'],
  CHORUS_LEARNER_GROUP: ['learnerGroup', asIs, 'consumer group of the learner processes'],
  CHORUS_STREAM_MAXLEN: ['streamMaxLen', asIs, 'approximate cap on the interaction stream'],
  CHORUS_STREAM_CLAIM_IDLE_MS: ['streamClaimIdleMs', asIs, "a dead learner's pending entries are taken over after this long"],
  CHORUS_STREAM_MAX_DELIVERIES: ['streamMaxDeliveries', asIs, 'an entry failing this many deliveries is dead-lettered'],
  CHORUS_REDIS_PREFIX: ['redisPrefix', asIs, 'prefix of the other cluster keys in Redis (one per deployment)'],
  CHORUS_ROOM_STATE_TTL_S: ['roomStateTtlS', asIs, "an untouched room's Redis state expires after this long"],
  CHORUS_OUTBOX_RELAY_MS: ['outboxRelayMs', asIs, 're-publish interactions left in the Postgres outbox this often'],
  CHORUS_PRESENCE_SWEEP_MS: ['presenceSweepMs', asIs, 'cluster: how often a node marks members whose socket is on no node (a node that died) disconnected; 0 = never'],
  CHORUS_DB_TIMEOUT_MS: ['dbTimeoutMs', asIs, 'Postgres: a hot-path query fails with UNAVAILABLE after this long'],
  CHORUS_DB_THREAD: ['dbThread', asBool, 'PGlite: run the embedded database in its own thread, off the event loop (0: on it)'],
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const fromEnv: Record<string, unknown> = {};
  for (const [name, [field, parse]] of Object.entries(ENV_TABLE)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') fromEnv[field] = parse(raw);
  }
  const merged = { ...DEFAULTS, ...fromEnv, ...overrides };
  // Cluster mode: learning runs in `npm run learner` processes, not in each node, unless asked for.
  if (merged.redisUrl && fromEnv['learner'] === undefined && overrides.learner === undefined) merged.learner = false;
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new Error(`invalid configuration: ${z.prettifyError(parsed.error)}`);
  }
  // `memory://` (an in-memory PGlite database) is a scheme, not a path.
  const dataDir = parsed.data.dataDir.startsWith('memory://') ? parsed.data.dataDir : path.resolve(parsed.data.dataDir);
  return { ...parsed.data, dataDir };
}
