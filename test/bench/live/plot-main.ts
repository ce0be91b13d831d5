/**
 * `npm run bench:live:plot -- [--out page.html] [--note text] run1.json run2.json …`: the runs that
 * `npm run bench:live -- --json <file>` wrote, on one HTML page (plot-runs.ts). Files that are not
 * single-node runs with the machine's CPU are named and skipped.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { runOf, runsPage, type Run } from './plot-runs.ts';

const USAGE = 'usage: npm run bench:live:plot -- [--out page.html] [--note text] run1.json [run2.json …]';

function main(argv: readonly string[]): void {
  let out = 'bench-live-runs.html';
  let note = '';
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--out' || a === '--note') {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      if (a === '--out') out = v;
      else note = v;
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      return;
    } else if (a.startsWith('--')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else files.push(a);
  }
  if (files.length === 0) throw new Error(USAGE);
  const runs: Run[] = [];
  for (const file of files) {
    const run = runOf(basename(file, '.json'), JSON.parse(readFileSync(file, 'utf8')));
    if (run) runs.push(run);
    else console.error(`[bench:live:plot] skipped ${file}: not a single-node run with machine CPU figures`);
  }
  if (runs.length === 0) throw new Error('no run to plot');
  writeFileSync(out, runsPage(runs, note));
  console.error(`[bench:live:plot] ${runs.length} runs → ${out}`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(2);
}
