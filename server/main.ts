/**
 * Composition root: loadConfig → open seams → createApp → listen. Signal handling lives here only.
 */
import { openDb } from '../db/client.ts';
import { createApp } from './app.ts';
import { createAuth, resolveSecret } from './auth.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { seedCatalogIfEmpty } from './catalog/seed.ts';
import { MemoryInteractionLog } from './realtime/memory-interaction-log.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config);
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  log.info({ database: db.kind }, 'database ready');
  const auth = createAuth(await resolveSecret(config.secret, config.dataDir));
  const interactionLog = new MemoryInteractionLog(log);
  const app = await createApp({ config, db, log, auth, interactionLog, processMetrics: true });
  const port = await app.listen();
  log.info({ port, host: config.host }, `Chorus listening on http://localhost:${port}`);
  if (config.seedCatalog) {
    // After listen: /health answers at once on a first start; search fills in a second later.
    seedCatalogIfEmpty(db, config.catalogSize).then(
      async (inserted) => {
        if (inserted === 0) return;
        log.info({ tracks: inserted }, 'generated default catalog');
        await app.learning?.refreshCatalog();
      },
      (err: unknown) => log.error({ err }, 'seeding the default catalog failed'),
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await app.close();
      await interactionLog.close();
      await db.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('Chorus failed to start:', err);
  process.exit(1);
});
