/**
 * Composition root: loadConfig → open seams → createApp → listen. Signal handling lives here only.
 */
import { openDb } from '../db/client.ts';
import { createApp } from './app.ts';
import { createAuth, resolveSecret } from './auth.ts';
import { loadConfig, type Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { seedCatalogIfEmpty } from './catalog/seed.ts';
import { MemoryInteractionLog } from './realtime/memory-interaction-log.ts';
import type { InteractionLog } from './services/types.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config);
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, timeoutMs: config.dbTimeoutMs, thread: config.dbThread });
  log.info({ database: db.kind }, 'database ready');
  const auth = createAuth(await resolveSecret(config.secret, config.dataDir));
  const cluster = config.redisUrl ? await openCluster(config, log) : undefined;
  const interactionLog: InteractionLog = cluster?.interactionLog ?? new MemoryInteractionLog(log);
  const app = await createApp({ config, db, log, auth, interactionLog, processMetrics: true, redis: cluster?.redis });
  const port = await app.listen();
  log.info({ port, host: config.host }, `Chorus listening on http://localhost:${port}`);
  if (config.seedCatalog) {
    // After listen: /health answers at once on a first start; search fills in a second later.
    seedCatalogIfEmpty(db, config.catalogSize)
      .then(async (inserted) => {
        if (inserted === 0) return;
        log.info({ tracks: inserted }, 'generated default catalog');
        await app.learning?.refreshCatalog();
      })
      // Also when the learner is told about the catalog as the server stops (its thread has gone).
      .catch((err: unknown) => log.error({ err }, 'seeding the default catalog failed'));
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      // Sockets and rooms first (their last interactions are published), then the log, Redis, the database.
      await app.close();
      await interactionLog.close();
      await cluster?.close();
      await db.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** REDIS_URL: one command connection and the interaction log on its stream (loaded lazily: ioredis). */
async function openCluster(config: Config, log: Logger) {
  const [{ openRedis, whenReady, closeRedis }, { RedisInteractionLog }] = await Promise.all([
    import('./realtime/redis-connection.ts'),
    import('./realtime/redis-interaction-log.ts'),
  ]);
  const redis = openRedis(config.redisUrl ?? '', { role: 'node', log });
  if (!(await whenReady(redis))) log.warn('redis is not reachable yet; starting degraded (commands answer UNAVAILABLE)');
  // Nodes only publish; the learner processes consume in config.learnerGroup.
  const interactionLog = new RedisInteractionLog({
    redis,
    log,
    stream: config.interactionStream,
    group: config.learnerGroup,
    maxLen: config.streamMaxLen,
    claimIdleMs: config.streamClaimIdleMs,
    maxDeliveries: config.streamMaxDeliveries,
  });
  log.info({ stream: config.interactionStream, learner: config.learner }, 'cluster mode (redis)');
  return { redis, interactionLog, close: () => closeRedis(redis) };
}

main().catch((err: unknown) => {
  console.error('Chorus failed to start:', err);
  process.exit(1);
});
