/** Command line of `npm run bots -- --url http://localhost:3000 --room CODE --members 8`. */
import { parseArgs } from 'node:util';

export interface BotArgs {
  url: string;
  room: string;
  members: number;
  seed: number;
  /** Mean time between one bot's actions, ms. */
  paceMs: number;
  /** Stop after this many seconds (0 = until Ctrl-C). */
  durationS: number;
  /** Let bots start playback when the room is idle and they may (guest controls on). */
  drive: boolean;
  quiet: boolean;
}

const USAGE = `usage: npm run bots -- --room CODE [--url http://localhost:3000] [--members 8]
       [--seed 1] [--pace 2500] [--duration 0] [--drive] [--quiet]`;

export function parseBotArgs(argv: string[]): BotArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'http://localhost:3000' },
      room: { type: 'string' },
      members: { type: 'string', default: '8' },
      seed: { type: 'string', default: '1' },
      pace: { type: 'string', default: '2500' },
      duration: { type: 'string', default: '0' },
      drive: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const room = values.room?.replace(/^.*[?&]room=/, '').trim().toUpperCase();
  if (!room) throw new Error(`--room is required\n${USAGE}`);
  const int = (name: string, raw: string, min: number, max: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer ${min}..${max}`);
    return n;
  };
  return {
    url: values.url.replace(/\/$/, ''),
    room,
    members: int('members', values.members, 1, 64),
    seed: int('seed', values.seed, 0, 2 ** 31),
    paceMs: int('pace', values.pace, 100, 600_000),
    durationS: int('duration', values.duration, 0, 86_400),
    drive: values.drive,
    quiet: values.quiet,
  };
}
