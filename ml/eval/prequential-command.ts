/** `prequential` subcommand: Last.fm tag stream → learner → table, JSON, HTML report. */
import { writeFileSync } from 'node:fs';
import type { Interaction } from '../types.ts';
import { numberFlag } from './args.ts';
import { runPrequential } from './prequential.ts';
import type { PrequentialResult } from './prequential.ts';
import { firstTagEvents, readLastfm, TagHistory, topTags } from './read-lastfm.ts';
import { prequentialReport } from './report-prequential.ts';
import { buildLearner, commonSetup, peakRssMB } from './setup.ts';
import { fmt, formatTable } from './table.ts';

export function prequentialTable(r: PrequentialResult): string {
  const rows = Object.entries(r.results).map(([name, m]) => [
    name,
    fmt(m.recall),
    fmt(m.ndcg),
    name === 'ensemble' ? '' : fmt(r.finalWeights[name] ?? NaN, 3),
  ]);
  return formatTable(['model', `recall@${r.k}`, `NDCG@${r.k}`, 'final weight'], rows);
}

export async function prequentialCommand(flags: ReadonlyMap<string, string>, argv: readonly string[]): Promise<number> {
  const dir = flags.get('data') ?? '../shared/data/lastfm-2k';
  const sample = numberFlag(flags, 'sample', 10);
  const candidates = flags.get('candidates') ?? 'seen';
  if (candidates !== 'seen' && candidates !== 'all') throw new Error('--candidates must be seen or all');
  const started = performance.now();
  const setup = commonSetup(flags);
  const data = readLastfm(dir, numberFlag(flags, 'min-year', 2005));
  let stream = firstTagEvents(data.assignments);
  const limit = flags.get('limit');
  if (limit !== undefined) stream = stream.slice(0, Number(limit));
  const events: Interaction[] = stream.map((a, n) => ({
    id: `lastfm-${n}`,
    userId: a.userId,
    roomId: null,
    trackId: a.artistId,
    type: 'like', // tagging an artist is an explicit, positive act
    context: { hour: 12, weekday: new Date(a.time).getUTCDay() },
    createdAt: a.time,
  }));
  const catalogIds = data.artists.size > 0 ? [...data.artists.keys()] : [...new Set(events.map((e) => e.trackId))];
  const learner = await buildLearner({
    ...setup,
    overrides: { ...setup.overrides, content: { tagVocabulary: topTags(data, 100), ...setup.overrides?.content } },
  });
  // Artist tags come from the stream itself, so the content model only ever sees tags given before the
  // event under test (dates are monthly: the catalog is rebuilt when the month changes). The catalog goes
  // to the content model directly, not to the learner's candidate pool.
  const history = new TagHistory(data, catalogIds);
  const beforeEvent = (x: Interaction): void => {
    if (!history.advance(x.createdAt)) return;
    const catalog = history.catalog();
    for (const m of learner.models) m.setCatalog?.(catalog);
  };
  if (candidates === 'all') learner.addCandidates(catalogIds);
  const r = await runPrequential(learner, events, { sample, beforeEvent });
  const totalMs = performance.now() - started;
  const json = {
    protocol: 'prequential',
    command: `npm run eval -- ${argv.join(' ')}`,
    data: dir,
    models: setup.models,
    seed: setup.seed,
    stream: {
      assignments: data.assignments.length,
      droppedBogusYears: data.dropped,
      events: events.length,
      sampling: `every ${sample}th event tested against the ${candidates === 'seen' ? 'artists seen so far' : 'whole artist catalog'} minus the user's own; all events learned`,
    },
    ...r,
    timing: { ...r.timing, totalMs },
    memory: { peakRssMB: peakRssMB() },
  };
  process.stdout.write(`${json.stream.sampling}\n`);
  process.stdout.write(
    `${data.assignments.length} tag assignments (${data.dropped} with bogus years dropped) → ${events.length} first (user, artist) events; ` +
      `${r.tested} tested, ${r.unseenItem} of them on an artist never seen before (a miss for every model); ` +
      `${r.meanCandidates.toFixed(0)} candidates ranked per test on average\n`,
  );
  process.stdout.write(`${prequentialTable(r)}\n`);
  process.stdout.write(`total ${(totalMs / 1000).toFixed(1)} s, peak RSS ${peakRssMB().toFixed(0)} MB\n`);
  const jsonOut = flags.get('json');
  if (jsonOut !== undefined) writeFileSync(jsonOut, `${JSON.stringify(json, null, 2)}\n`);
  const report = flags.get('report');
  if (report !== undefined) writeFileSync(report, prequentialReport(json));
  return 0;
}
