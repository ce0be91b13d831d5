/**
 * `npm run bench:learner -- --against <checkout> [options]`: this checkout and another (a baseline, with
 * its own node_modules) measured at the same time, one process each, so both see the same machine. On a
 * shared or throttled VM, runs of one commit a few minutes apart can differ by more than a change does;
 * two runs side by side on a 2-core machine (one core each) cannot drift apart that way. Prints each
 * side's tables, then the figures that summarise them side by side.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = 'test/bench/learner/main.ts';
const HERE = fileURLToPath(new URL('../../../', import.meta.url));

function run(cwd: string, args: readonly string[], label: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => process.stderr.write(b.toString().replace(/^\[bench:learner\]/gm, `[bench:learner ${label}]`)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${label} (${cwd}) exited with code ${code}`))));
  });
}

/** A figure of main.ts's output: the mean column of a table row, or the learner share. */
function figure(out: string, row: string): number | undefined {
  if (row === 'share') return Number(/learner share at [\d.]+\/s: ([\d.]+) %/.exec(out)?.[1] ?? NaN);
  const line = out.split('\n').find((l) => l.startsWith(`| ${row} `));
  const cells = line?.split('|').map((c) => c.trim()).filter((c) => c !== '');
  return cells ? Number(cells[cells.length - 1]) : undefined;
}

const ROWS: Array<[string, string]> = [
  ['learn (test + train)', 'learn, µs per interaction (mean)'],
  ['push (room recs)', 'push, µs per interaction (mean)'],
  ['total', 'total, µs per interaction'],
  ['share', 'learner share (% of a core)'],
];

export async function runAgainst(other: string, args: readonly string[]): Promise<void> {
  const [mine, theirs] = await Promise.all([run(HERE, args, 'this'), run(other, args, 'other')]);
  console.log(`## this checkout (${HERE})\n${mine}\n## other checkout (${other})\n${theirs}`);
  console.log('\nSide by side (both measured at the same time):\n');
  console.log('| figure | this | other | this ÷ other |');
  console.log('|:--|--:|--:|--:|');
  for (const [row, name] of ROWS) {
    const a = figure(mine, row);
    const b = figure(theirs, row);
    const ratio = a !== undefined && b !== undefined && b > 0 ? (a / b).toFixed(2) : '—';
    console.log(`| ${name} | ${a ?? '—'} | ${b ?? '—'} | ${ratio} |`);
  }
}
