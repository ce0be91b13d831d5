/** Command-line options of `npm run bench:live`. */
import { GENRES } from '../../../server/catalog/genres.ts';
import { TRACK_POOL } from './protocol.ts';

export interface LiveArgs {
  rooms: number;
  members: number;
  /** track:react per member per second (Poisson arrivals). */
  rate: number;
  /** Measured seconds (after the warm-up). */
  duration: number;
  warmup: number;
  /** Seconds between two queue:add of one room. */
  queueEvery: number;
  workers: number;
  /** Tracks the rooms queue and react to (the members' pool; rooms walk it from different offsets). */
  tracks: number;
  /** How long to wait after the run for pushes still on their way (s). */
  drain: number;
  json?: string | undefined;
  skipFloor: boolean;
  /** Run the Chorus server of another checkout (a baseline); default: this repository. */
  serverDir?: string | undefined;
  /** Chorus nodes: 1 (PGlite) or 2 (Postgres + Redis + a learner process). */
  nodes: number;
  /** With --nodes 2: do not run the single-node pass first. */
  skipSingle: boolean;
  /** The single node's database: its default embedded PGlite, or Postgres (a fresh database, `--pg-url`). */
  db: 'pglite' | 'postgres';
  /** --nodes 2: Postgres URL allowed to create/drop the bench's database; Redis URL. */
  pgUrl: string;
  redisUrl: string;
}

export const USAGE = `usage: npm run bench:live -- [options]
  --rooms n          rooms (default 100)
  --members n        members per room, host included (default 10)
  --rate r           track:react per member per second (default 0.5)
  --duration s       measured seconds (default 60)
  --warmup s         seconds of load before measuring (default 5)
  --queue-every s    seconds between queue:add in each room (default 3)
  --workers n        client worker threads (default 2)
  --tracks n         tracks the rooms draw from, browsed genre by genre (default 100; up to 1,200 on the
                     generated catalog: 100 per genre). More distinct tracks: bigger item models
  --drain s          after the last ack, max seconds to wait for late pushes (default 5)
  --json file        also write every figure as JSON
  --skip-floor       do not run the plain socket.io floor
  --nodes 2          also run two Chorus nodes + one learner process on Postgres + Redis (a fresh
                     database and key prefix, dropped at the end), each room's members alternating
                     between the nodes; printed beside the single-node pass (run first)
  --skip-single      with --nodes 2: skip the single-node pass
  --db postgres      run the single node on Postgres (a fresh database beside --pg-url, dropped at the
                     end) instead of its default embedded PGlite
  --pg-url url       Postgres for --nodes 2 and --db postgres (default $DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
  --redis-url url    Redis for --nodes 2 (default $REDIS_URL or redis://127.0.0.1:6379)
  --server-dir dir   run server/main.ts of another checkout (e.g. a baseline; needs node_modules)
`;

export function parseArgs(argv: readonly string[]): LiveArgs {
  const a: LiveArgs = {
    rooms: 100,
    members: 10,
    rate: 0.5,
    duration: 60,
    warmup: 5,
    queueEvery: 3,
    workers: 2,
    tracks: TRACK_POOL,
    drain: 5,
    skipFloor: false,
    nodes: 1,
    skipSingle: false,
    db: 'pglite',
    pgUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    const num = (min: number, int = false): number => {
      const n = Number(v);
      if (v === undefined || !Number.isFinite(n) || n < min || (int && !Number.isInteger(n))) {
        throw new Error(`${k} needs ${int ? 'an integer' : 'a number'} ≥ ${min}`);
      }
      i++;
      return n;
    };
    switch (k) {
      case '--rooms': a.rooms = num(1, true); break;
      case '--members': a.members = num(1, true); break;
      case '--rate': a.rate = num(0); break;
      case '--duration': a.duration = num(1); break;
      case '--warmup': a.warmup = num(0); break;
      case '--queue-every': a.queueEvery = num(0.1); break;
      case '--workers': a.workers = num(1, true); break;
      case '--tracks':
        a.tracks = num(1, true);
        // Past one page the pool is browsed genre by genre: 100 per genre of the generated catalog.
        if (a.tracks > TRACK_POOL * GENRES.length) throw new Error(`--tracks is at most ${TRACK_POOL * GENRES.length}`);
        break;
      case '--drain': a.drain = num(0); break;
      case '--nodes':
        a.nodes = num(1, true);
        if (a.nodes !== 1 && a.nodes !== 2) throw new Error('--nodes is 1 or 2');
        break;
      case '--skip-single': a.skipSingle = true; break;
      case '--db':
        if (v !== 'pglite' && v !== 'postgres') throw new Error('--db is pglite or postgres');
        a.db = v;
        i++;
        break;
      case '--pg-url':
        if (!v) throw new Error('--pg-url needs a URL');
        a.pgUrl = v;
        i++;
        break;
      case '--redis-url':
        if (!v) throw new Error('--redis-url needs a URL');
        a.redisUrl = v;
        i++;
        break;
      case '--json':
        if (!v) throw new Error('--json needs a file');
        a.json = v;
        i++;
        break;
      case '--skip-floor': a.skipFloor = true; break;
      case '--server-dir':
        if (!v) throw new Error('--server-dir needs a directory');
        a.serverDir = v;
        i++;
        break;
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${k}\n${USAGE}`);
    }
  }
  if (a.skipSingle && a.nodes !== 2) throw new Error('--skip-single needs --nodes 2');
  a.workers = Math.min(a.workers, a.rooms);
  return a;
}
