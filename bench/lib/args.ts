import { defaultAntennas } from '../generator/programme';

export const SECTIONS = ['raw', 'command', 'stream', 'http', 'replay', 'queries', 'integrity', 'peers'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  readonly events: number;
  readonly antennas: number;
  readonly seed: string;
  readonly only: readonly Section[];
  /** Whether --only was given (otherwise the peers run too when bench/peers is installed). */
  readonly onlyGiven: boolean;
  /** Results file; default bench/results/<date>.json. */
  readonly out: string | undefined;
  /** Short measurement windows (the smoke test). */
  readonly quick: boolean;
  /** Keep seeded stores here and reuse them on the next run (default: a temp dir, removed at the end). */
  readonly dataDir: string | undefined;
  /** Longest a replay (or an as-of report) child may run before it is stopped and reported unfinished. */
  readonly replayTimeoutSeconds: number;
  readonly asOfTimeoutSeconds: number;
}

const USAGE = `npm run bench -- [options]

  --events N            events in the synthetic programme (default 1000000)
  --antennas N          antennas (default events / 1000, between 3 and 1000)
  --seed S              generator seed (default "jalon")
  --only a,b            sections to run: ${SECTIONS.join(', ')} (default all but peers,
                        which runs when bench/peers is installed: npm run bench:peers)
  --out FILE            results file (default bench/results/<date>.json)
  --quick               short measurement windows (smoke test)
  --data-dir DIR        keep seeded stores in DIR and reuse them next time
  --replay-timeout S    stop a replay child after S seconds (default 900)
  --as-of-timeout S     stop the as-of report child after S seconds (default 300)
`;

export function parseArgs(argv: readonly string[]): BenchOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    }
    if (arg === '--quick') {
      flags.add('quick');
      continue;
    }
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n\n${USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value\n\n${USAGE}`);
    values.set(name, value);
  }
  const known = new Set(['events', 'antennas', 'seed', 'only', 'out', 'data-dir', 'replay-timeout', 'as-of-timeout']);
  for (const name of values.keys()) if (!known.has(name)) throw new Error(`unknown option --${name}\n\n${USAGE}`);

  const events = positiveInteger(values.get('events') ?? '1000000', 'events');
  const only = (values.get('only')?.split(',').map((s) => s.trim()).filter(Boolean) ?? SECTIONS.filter((s) => s !== 'peers')) as Section[];
  for (const section of only) if (!SECTIONS.includes(section)) throw new Error(`unknown section ${section}; sections: ${SECTIONS.join(', ')}`);
  return {
    events,
    antennas: values.has('antennas') ? positiveInteger(values.get('antennas')!, 'antennas') : defaultAntennas(events),
    seed: values.get('seed') ?? 'jalon',
    only,
    onlyGiven: values.has('only'),
    out: values.get('out'),
    quick: flags.has('quick'),
    dataDir: values.get('data-dir'),
    replayTimeoutSeconds: positiveInteger(values.get('replay-timeout') ?? '900', 'replay-timeout'),
    asOfTimeoutSeconds: positiveInteger(values.get('as-of-timeout') ?? '300', 'as-of-timeout'),
  };
}

function positiveInteger(text: string, name: string): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer, not ${text}`);
  return value;
}
