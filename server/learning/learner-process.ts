/**
 * `npm run learner`: one learner process of a cluster (REDIS_URL and DATABASE_URL set). It consumes the
 * interaction stream, pushes recommendations to rooms on every node and answers the nodes' requests
 * (cluster-learner.ts). Signal handling lives here only; SIGTERM takes a final snapshot and closes cleanly.
 */
import { openDb } from '../../db/client.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { closeRedis, openRedis, whenReady } from '../realtime/redis-connection.ts';
import { ClusterLearner } from './cluster-learner.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config);
  if (!config.redisUrl) throw new Error('the learner process needs REDIS_URL (and DATABASE_URL): it serves a cluster');
  if (!config.databaseUrl) log.warn('no DATABASE_URL: the learner opens the embedded database, which the nodes cannot share');
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const redis = openRedis(config.redisUrl, { role: 'learner', log });
  if (!(await whenReady(redis))) log.warn('redis is not reachable yet; the learner starts once it is');
  while (!(await whenReady(redis, 5_000))) log.warn('still waiting for redis');
  const learner = await ClusterLearner.start({ config, db, redis, log });
  log.info({ stream: config.interactionStream, group: config.learnerGroup }, 'learner consuming');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'learner shutting down');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    try {
      await learner.close();
      await closeRedis(redis);
      await db.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('the Chorus learner failed to start:', err);
  process.exit(1);
});
