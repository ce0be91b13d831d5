/**
 * `npm run eval -- <protocol> [flags]`
 *   agree        --data <dir> [--scores-out f.tsv] [--json r.json] [--report r.html]
 *                [--order shuffle|file] [--test-every 2]
 *   prequential  [--data ../shared/data/lastfm-2k] [--sample 10] [--candidates seen|all] [--limit n]
 *                [--min-year 2005] [--json r.json] [--report r.html]
 *   recompute    --scores s.tsv [--data <dir>] [--json r.json]
 * Common to agree and prequential: --models a,b,c  --seed n  --eta x  --gamma x  --decay x
 *   --normalise rank|z  --rule hedge|eg  --sharpness x  --set model.option=value,...
 * Progress goes to stderr (when it is a terminal), the summary table to stdout.
 */
import { parseArgs } from './args.ts';
import { agreeCommand } from './agree-command.ts';
import { prequentialCommand } from './prequential-command.ts';
import { recomputeCommand } from './recompute.ts';

const USAGE = 'usage: npm run eval -- agree|prequential|recompute [flags] (see ml/eval/cli.ts)';

async function main(argv: readonly string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv);
  const protocol = positional[0];
  switch (protocol) {
    case 'agree':
      return agreeCommand(flags, argv);
    case 'prequential':
      return prequentialCommand(flags, argv);
    case 'recompute':
      return recomputeCommand(flags);
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
