import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, Section } from './lib/args';
import { BENCH_ROOT } from './lib/child';
import { BenchContext } from './lib/context';
import { describeMachine } from './lib/machine';
import { FULL_PROFILE, QUICK_PROFILE } from './lib/measure';
import { info, renderTable } from './lib/report';
import { commandPathSection } from './sections/command-path';
import { httpSection } from './sections/http';
import { integritySection } from './sections/integrity';
import { peersSection, peersInstalled } from './sections/peers';
import { rawStoreSection } from './sections/raw-store';
import { queriesSection, replaySection } from './sections/read-side';
import { streamLengthSection } from './sections/stream-length';

/**
 * `npm run bench`: seeds a synthetic programme (1,000,000 events by default) and measures, in one
 * run, the raw store, the command path, the cost of a command by stream length, HTTP, the replay
 * and the report queries; prints a table (each figure, its target, PASS or MISS) and writes the
 * results as JSON. See BENCHMARKS.md.
 */

// Sections run in this order: the replay builds the read models that the queries and the HTTP
// service use; the sections that write into the seeded store run after those that read it.
const ORDER: readonly Section[] = ['raw', 'replay', 'queries', 'integrity', 'command', 'stream', 'http', 'peers'];
const RUNNERS: Record<Section, (ctx: BenchContext) => Promise<void>> = {
  raw: rawStoreSection,
  replay: replaySection,
  queries: queriesSection,
  command: commandPathSection,
  stream: streamLengthSection,
  http: httpSection,
  integrity: integritySection,
  peers: peersSection,
};

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const machine = describeMachine();
  const started = new Date();
  const workDir = mkdtempSync(join(tmpdir(), 'jalon-bench-'));
  const storesDir = options.dataDir ? resolve(options.dataDir) : join(workDir, 'stores');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const ctx = new BenchContext(options, options.quick ? QUICK_PROFILE : FULL_PROFILE, workDir, storesDir, log);
  const sections = ORDER.filter((s) => options.only.includes(s) || (s === 'peers' && !options.onlyGiven && peersInstalled()));

  log(`Jalon benchmark: ${options.events.toLocaleString('en-US')} events, ${options.antennas} antennas, seed "${options.seed}"${options.quick ? ', quick' : ''}`);
  log(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node} (${machine.nodeFlags}), ${machine.os}`);
  log(`Sections: ${sections.join(', ')}`);
  const timings: Record<string, number> = {};
  const failures: Record<string, string> = {};
  try {
    for (const section of sections) {
      const sectionStart = process.hrtime.bigint();
      try {
        await RUNNERS[section](ctx);
      } catch (error) {
        failures[section] = (error as Error).stack ?? String(error);
        log(`Section ${section} failed: ${(error as Error).message}`);
        ctx.add(info(section, 'section failed', null, 's', (error as Error).message.split('\n')[0]));
      }
      timings[section] = Number(process.hrtime.bigint() - sectionStart) / 1e9;
    }
  } finally {
    // Seeded stores live in the work dir unless --data-dir keeps them elsewhere.
    rmSync(workDir, { recursive: true, force: true });
  }

  const seeded = Object.fromEntries(
    ctx.seededStores.map((store) => {
      const { manifest, file: _file, ...seed } = store.seed;
      const summary = { ...seed, antennas: manifest.antennas.length, candidacies: manifest.candidacies, calls: manifest.callIds.length, expenditureRatePerAntennaMonth: manifest.expenditureRatePerAntennaMonth };
      return [String(store.events), summary];
    }),
  );
  const table = renderTable(ctx.rows);
  const results = {
    version: 1,
    date: started.toISOString(),
    durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
    machine,
    git: gitState(),
    options: { ...options, out: undefined, dataDir: undefined, onlyGiven: undefined },
    reproduce: `npm run bench -- --events ${options.events} --antennas ${options.antennas} --seed ${options.seed}${options.quick ? ' --quick' : ''}`,
    seeded,
    sectionSeconds: timings,
    failures,
    rows: ctx.rows,
    details: ctx.data,
    table,
  };
  const out = options.out ? resolve(options.out) : join(BENCH_ROOT, 'results', `${started.toISOString().slice(0, 19).replaceAll(':', '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`);

  process.stdout.write(`\nJalon benchmark — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${started.toISOString().slice(0, 10)}\n`);
  process.stdout.write(`${options.events.toLocaleString('en-US')} events requested, ${options.antennas} antennas, seed "${options.seed}"\n\n`);
  process.stdout.write(`${table}\n\nResults written to ${out}\n`);
  if (Object.keys(failures).length > 0) {
    for (const [section, stack] of Object.entries(failures)) process.stderr.write(`\n${section}: ${stack}\n`);
    process.exitCode = 1;
  }
  if (!existsSync(out)) process.exitCode = 1;
}

/** The commit measured, and whether the work tree differed from it. */
function gitState(): { commit: string; uncommittedFiles: number } | null {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: join(BENCH_ROOT, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit: git('rev-parse', 'HEAD').trim(), uncommittedFiles: git('status', '--porcelain').split('\n').filter(Boolean).length };
  } catch {
    return null;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
