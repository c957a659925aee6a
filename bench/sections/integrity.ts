import { existsSync } from 'node:fs';
import { BenchContext } from '../lib/context';
import { COMPILED_CLI, runChild } from '../lib/child';
import { checked, info } from '../lib/report';

/** The store size the target of `jalon verify` is set for: under 30 s for 1,000,000 events on these 2 cores. */
const TARGET_EVENTS = 1_000_000;

/**
 * `jalon verify` (compiled, a child process, timed as a whole process) over the full-size seeded
 * store: every event hash recomputed, every stream chain, revisions and positions. The seeded
 * events went through the command path, so they are chained; the store has no seal yet, which
 * verify reports (exit 1) without stopping: what is measured is the whole check. The cost of the
 * chain on commands is measured by the command path section.
 */
export async function integritySection(ctx: BenchContext): Promise<void> {
  if (!existsSync(COMPILED_CLI)) throw new Error('jalon verify needs the compiled CLI: run npm run build');
  const seeded = await ctx.seeded(ctx.options.events);
  ctx.log(`Integrity: jalon verify over ${seeded.events.toLocaleString('en-US')} events`);
  const run = await runChild('', [COMPILED_CLI, 'verify', '--json'], 600, { env: { DATA_DIR: seeded.dir }, compiled: true });
  if (run.timedOut) throw new Error('jalon verify did not finish in 600 s');
  const output = String(run.output);
  const report = JSON.parse(output.slice(output.indexOf('{'))) as { events?: number; problems?: { kind: string }[] };
  const problems = report.problems ?? [];
  const unexpected = problems.filter((problem) => !/seal/i.test(problem.kind));
  if (unexpected.length > 0) throw new Error(`jalon verify found problems in a seeded store: ${JSON.stringify(unexpected.slice(0, 3))}`);
  const label = `${seeded.events.toLocaleString('en-US')} events`;
  const scaled = (run.seconds * TARGET_EVENTS) / seeded.events;
  ctx.add(
    info('integrity', `jalon verify, whole process (${label})`, run.seconds, 's'),
    info('integrity', `jalon verify, events checked per second (${label})`, seeded.events / run.seconds, 'events/s'),
    seeded.events >= 0.9 * TARGET_EVENTS
      ? checked('integrity', `jalon verify (${label})`, run.seconds, 's', { below: 30 })
      : info('integrity', `jalon verify, scaled to 1,000,000 events (${label} measured)`, scaled, 's', 'the target (< 30 s) is judged on the 1,000,000-event run'),
  );
  ctx.data.integrity = { events: seeded.events, seconds: run.seconds, problems: problems.map((problem) => problem.kind) };
}
