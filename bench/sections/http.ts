import { runCommand } from '@jalon/application';
import autocannon from 'autocannon';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_FINANCE, BENCH_PROGRAMME_MANAGER } from '../generator/programme';
import { startChild } from '../lib/child';
import { BenchContext } from '../lib/context';
import { openCore } from '../lib/core';
import { median } from '../lib/measure';
import { checked, info } from '../lib/report';
import { ExpenditureInputs } from '../lib/workload';

const CONNECTIONS = 16;

interface HttpRun {
  readonly commandsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

/**
 * HTTP on loopback: the service as `jalon serve` builds it (the log's integrity service following
 * and sealing the log included), in a child process, loaded by
 * autocannon from this process with 16 connections, each request a RecordExpenditure
 * (`POST /api/antennas/:antennaId/expenditures`) with a new expenditure id, each connection on its
 * own antennas. The service warms its state cache before the load (as one that has been running a
 * while). Run twice: on (a copy of) the seeded store (its read models built and followed live, as in
 * production) and on an empty store (the HTTP and command path alone, read models nearly empty).
 */
export async function httpSection(ctx: BenchContext): Promise<void> {
  const seeded = await ctx.writableCopy(ctx.options.events);
  const runs: Record<string, unknown> = {};

  const readModelsNote = ctx.shared.replayed.has(ctx.options.events)
    ? undefined
    : existsSync(join(seeded.dir, 'read-models.sqlite'))
      ? 'read models not rebuilt by this run: those of an earlier run of this data directory, any projection version they lack rebuilt by the server while serving'
      : 'read models not built before the run: the server built them while serving';
  const onSeeded = await loadServer(ctx, seeded.dir, seeded.openAntennaIds, readModelsNote);
  runs.seeded = onSeeded;
  ctx.add(...rowsOf(`${seeded.events.toLocaleString('en-US')}-event store`, onSeeded));

  // The smoke run (--quick) stops here: one service start is enough to check that HTTP is measured.
  if (ctx.options.quick) {
    ctx.data.http = { connections: CONNECTIONS, ...runs };
    return;
  }
  // The empty store gets one antenna per connection, opened through the command path.
  const emptyDir = ctx.tempDir('http-empty');
  const antennas = await prepareEmptyStore(emptyDir);
  const onEmpty = await loadServer(ctx, emptyDir, antennas);
  runs.empty = onEmpty;
  ctx.add(...rowsOf('empty store', onEmpty));
  ctx.data.http = { connections: CONNECTIONS, ...runs };
}

function rowsOf(store: string, run: HttpRun & { note?: string; warmSeconds: number; floorPerSecond: number }) {
  const errors = run.non2xx + run.errors > 0 ? `${run.non2xx} non-2xx responses, ${run.errors} errors` : undefined;
  const note = [run.note, errors].filter(Boolean).join('; ') || undefined;
  const latency = (value: number) => (Number.isFinite(value) ? value : null);
  return [
    info('http', `service start: state cache warm-up (${store})`, run.warmSeconds, 's'),
    checked('http', `commands/s, 16 connections (${store})`, run.commandsPerSecond, 'commands/s', { atLeast: 2000 }, note),
    info('http', `latency p50 (${store})`, latency(run.p50Ms), 'ms'),
    checked('http', `latency p99 (${store})`, latency(run.p99Ms), 'ms', { below: 25 }),
    info('http', `floor: same route refused at the auth guard, 401 (${store})`, run.floorPerSecond, 'requests/s', 'Nest on Fastify + guard + error filter, no command: the most this stack answers here'),
    // What the command itself costs over the framework's own floor, on the same machine and run: a
    // ratio holds where the machine's load moves the absolute figures.
    info('http', `commands/s as a share of the floor (${store})`, run.floorPerSecond > 0 ? (100 * run.commandsPerSecond) / run.floorPerSecond : null, '%'),
  ];
}

async function loadServer(
  ctx: BenchContext,
  dataDir: string,
  antennaIds: readonly string[],
  note?: string,
): Promise<HttpRun & { note?: string; warmSeconds: number; floorPerSecond: number }> {
  ctx.log(`HTTP: starting the service on ${dataDir} and warming its state cache (${antennaIds.length} antennas)`);
  const antennasFile = join(ctx.tempDir('http-antennas'), 'antennas.json');
  writeFileSync(antennasFile, JSON.stringify(antennaIds));
  const server = startChild('children/http-server.ts', [dataDir, antennasFile, ctx.options.quick ? '30' : '600']);
  try {
    const ready = await server.waitFor('ready', (ctx.options.quick ? 60 : 1800) * 1000);
    const url = `http://127.0.0.1:${ready.port as number}`;
    const inputs = new ExpenditureInputs(`${ctx.options.seed}:http:${dataDir}`);
    // Each connection keeps to its own antennas, so that no two requests in flight race for a stream.
    const partitions = Array.from({ length: CONNECTIONS }, (_, c) => {
      const own = antennaIds.filter((_, i) => i % CONNECTIONS === c);
      return own.length > 0 ? own : [antennaIds[c % antennaIds.length]!];
    });
    let connections = 0;
    const failures = new Map<string, number>();
    const load = (seconds: number) =>
      autocannon({
        url,
        connections: CONNECTIONS,
        duration: seconds,
        headers: { authorization: `Bearer ${ready.token as string}`, 'content-type': 'application/json' },
        requests: [
          {
            method: 'POST',
            setupRequest: (request, context: object) => {
              const own = context as { partition?: string[] };
              own.partition ??= partitions[connections++ % CONNECTIONS];
              const { antennaId, ...body } = inputs.next(inputs.pickAntenna(own.partition!));
              return { ...request, path: `/api/antennas/${antennaId as string}/expenditures`, body: JSON.stringify(body) };
            },
            onResponse: (status: number, body: string) => {
              if (status >= 300) {
                const key = `${status} ${(/"code":"([^"]+)"/.exec(body) ?? [])[1] ?? ''}`.trim();
                failures.set(key, (failures.get(key) ?? 0) + 1);
              }
            },
          },
        ],
      });
    ctx.log(`HTTP: ${CONNECTIONS} connections, RecordExpenditure`);
    await load(ctx.options.quick ? 1 : 2);
    const results = [];
    for (let r = 0; r < (ctx.options.quick ? 1 : 3); r++) results.push(await load(ctx.profile.httpSeconds));
    const rates = results.map((r) => r['2xx'] / (r.duration || ctx.profile.httpSeconds));
    // autocannon reports 0 ms latencies when nothing came back: that is no figure, not a fast one.
    const answered = results.filter((r) => r['2xx'] + r.non2xx > 0);
    // The floor of this HTTP stack on this machine: the same route, refused at the auth guard (401).
    const floor = await autocannon({
      url: `${url}/api/antennas/${antennaIds[0]!}/expenditures`,
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
      connections: CONNECTIONS,
      duration: ctx.profile.httpSeconds,
    });
    const caught = ready.caughtUp ? undefined : 'read models had not caught up with the log when the load started';
    const verified = ready.logVerified ? undefined : 'the log’s verification at start had not ended (or found a problem) when the load started';
    const refused = failures.size ? `refused: ${[...failures].map(([k, n]) => `${n} × ${k}`).join(', ')}` : undefined;
    const notes = [note, caught, verified, refused].filter((n): n is string => Boolean(n));
    return {
      commandsPerSecond: median(rates),
      p50Ms: answered.length ? median(answered.map((r) => r.latency.p50)) : Number.NaN,
      p99Ms: answered.length ? median(answered.map((r) => r.latency.p99)) : Number.NaN,
      non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
      errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
      warmSeconds: ready.warmSeconds as number,
      floorPerSecond: floor.non2xx / (floor.duration || ctx.profile.httpSeconds),
      ...(notes.length ? { note: notes.join('; ') } : {}),
    };
  } finally {
    await server.stop();
  }
}

/** An empty store with 16 opened antennas with a budget forecast, through the command path. */
async function prepareEmptyStore(dir: string): Promise<string[]> {
  const core = await openCore(dir);
  const run = (command: string, input: Record<string, unknown>, manager = true) =>
    runCommand(core.executor, command, input, manager ? BENCH_PROGRAMME_MANAGER : BENCH_FINANCE);
  const antennaIds: string[] = [];
  try {
    await run('LaunchProgramme', { programmeId: 'programme-http', name: 'Programme HTTP', operator: 'Cnam', targets: { antennaCount: 16, targetDate: '2025-12-31' }, effectiveDate: '2020-01-02' });
    await run('OpenCallForApplications', { callId: 'ami-http', programmeId: 'programme-http', title: 'Appel HTTP', number: 1, opensOn: '2020-01-06', closesOn: '2020-03-31', criteria: ['Partenariat'], effectiveDate: '2020-01-06' });
    for (let k = 0; k < CONNECTIONS; k++) {
      const antennaId = `http-${k}`;
      const candidacyId = `ami-http--${antennaId}`;
      await run('SubmitCandidacy', { callId: 'ami-http', territory: { id: antennaId, name: `Territoire ${k}`, kind: 'commune', region: 'Bretagne', actionCoeurDeVille: true }, partners: [], trainingNeeds: ['Numérique'], effectiveDate: '2020-02-03' });
      await run('SelectCandidacy', { candidacyId, criteria: ['Partenariat'], effectiveDate: '2020-04-15' });
      await run('OpenAntenna', { antennaId, candidacyId, name: `Antenne ${k}`, town: 'Morlaix', effectiveDate: '2020-05-04' });
      await run('SetBudgetForecast', { antennaId, lines: [{ year: 2026, category: 'staff', amountCents: 10_000_000 }], effectiveDate: '2020-05-04' }, false);
      antennaIds.push(antennaId);
    }
  } finally {
    await core.close();
  }
  return antennaIds;
}
