/**
 * `npm run bots -- --url http://localhost:3000 --room CODE --members 8`: simulated members with
 * distinct, consistent tastes join the room and like, skip, vote and add by taste, so someone watching
 * the page sees the ensemble's weights shift and the picks converge on the room.
 */
import { parseBotArgs } from './args.ts';
import { Bot } from './bot.ts';
import { BotCatalog } from './catalog.ts';
import { makeTastes, rng } from './taste.ts';

async function main(): Promise<void> {
  const args = parseBotArgs(process.argv.slice(2));
  const room = await fetch(`${args.url}/api/rooms/${encodeURIComponent(args.room)}`);
  if (room.status === 404) throw new Error(`no open room with code ${args.room} at ${args.url}`);
  if (!room.ok) throw new Error(`GET /api/rooms/${args.room}: HTTP ${room.status}`);
  const catalog = new BotCatalog(args.url);
  await catalog.load();
  const tastes = makeTastes(args.members, catalog.genres, args.seed);
  const started = Date.now();
  const log = (line: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s  ${line}`);
  console.log(`${tastes.length} bots joining ${args.room} (catalog slice: ${catalog.byId.size} tracks in ${catalog.genres.length} genres)`);
  for (const t of tastes) {
    const f = t.target;
    console.log(`  ${t.name.padEnd(28)} energy ${f.energy.toFixed(2)} valence ${f.valence.toFixed(2)} dance ${f.danceability.toFixed(2)} acoustic ${f.acousticness.toFixed(2)}`);
  }
  const bots = tastes.map((t, i) => new Bot(t, args, catalog, rng(args.seed * 1000 + i + 1), log));
  await Promise.all(bots.map((b) => b.start()));
  log('all bots joined; Ctrl-C to stop');

  const stop = () => {
    for (const b of bots) b.stop();
    const total = bots.reduce((a, b) => a + b.actions, 0);
    console.log(`stopped after ${total} actions`);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (args.durationS > 0) setTimeout(stop, args.durationS * 1000);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
