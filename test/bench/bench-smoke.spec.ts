import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsNodeArgs } from '../support/spawn-ts';

/**
 * The benchmark (`npm run bench`, bench/) is not part of `npm test`: the machine is noisy and a
 * full run takes long. This smoke run keeps it from rotting: a tiny programme (2,000 events, 20
 * antennas), every section but the peers, short windows. It checks the structure of what comes
 * out (every section produced figures, each with a status, the table and the JSON written), never
 * the speed.
 */

const MAIN = join(__dirname, '..', '..', 'bench', 'main.ts');
const SECTIONS = ['raw store', 'replay', 'queries', 'integrity', 'command path', 'stream length', 'http'];

interface ResultRow {
  section: string;
  metric: string;
  value: number | null;
  unit: string;
  status: string;
}

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, tsNodeArgs(MAIN, ...args), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 280_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run bench, smoke run', () => {
  it('measures every section on a small programme and writes the table and the results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jalon-bench-smoke-'));
    const out = join(dir, 'results.json');
    try {
      const run = await runBench(['--events', '2000', '--antennas', '20', '--quick', '--only', 'raw,replay,queries,integrity,command,stream,http', '--out', out]);
      if (run.code !== 0) throw new Error(`the benchmark exited with ${run.code}:\n${run.stderr.slice(-4000)}`);

      const results = JSON.parse(readFileSync(out, 'utf8')) as {
        machine: { cpu: string; cores: number; node: string };
        seeded: Record<string, { events: number; commands: number; unchanged: number; eventsByType: Record<string, number> }>;
        failures: Record<string, string>;
        rows: ResultRow[];
      };
      expect(results.failures).toEqual({});
      expect(results.machine.cores).toBeGreaterThan(0);

      // The generator went through the command path: every command decided one event, and an
      // antenna's opening one more, its claim on the candidacy (decision 0012), an agreement's
      // commitment one more, its claim on the antenna (decision 0060), a candidacy's submission
      // one more, its registration on the call (decision 0062), and the programme's launch one
      // more, its claim on the installation's registry (decision 0061).
      const [seeded] = Object.values(results.seeded);
      expect(seeded!.events).toBeGreaterThan(1_500);
      expect(seeded!.unchanged).toBe(0);
      const antennaClaims = seeded!.eventsByType.CandidacyAntennaAssigned ?? 0;
      const agreementClaims = seeded!.eventsByType.FundingAgreementAttached ?? 0;
      const registrations = seeded!.eventsByType.CallCandidacyRegistered ?? 0;
      expect(antennaClaims).toBeGreaterThan(0);
      expect(agreementClaims).toBe(seeded!.eventsByType.FundingCommitted);
      expect(registrations).toBe(seeded!.eventsByType.CandidacySubmitted);
      expect(seeded!.eventsByType.ProgrammeClaimed).toBe(1);
      const claims = antennaClaims + agreementClaims + registrations + 1;
      expect(seeded!.events).toBe(seeded!.commands + claims);

      for (const section of SECTIONS) {
        const rows = results.rows.filter((row) => row.section === section);
        expect({ section, measured: rows.some((row) => typeof row.value === 'number' && Number.isFinite(row.value)) }).toEqual({ section, measured: true });
      }
      for (const row of results.rows) expect(['PASS', 'MISS', 'info', 'n/a']).toContain(row.status);
      // Every target is evaluated (or explicitly not measurable).
      expect(results.rows.filter((row) => row.status === 'PASS' || row.status === 'MISS').length).toBeGreaterThanOrEqual(10);
      // What following the log writes per recorded expenditure is measured: documents and JSON, each more than nothing.
      const following = results.rows.filter((row) => row.metric.startsWith('read models written following the log, per recorded expenditure'));
      expect(following.map((row) => [row.unit, typeof row.value === 'number' && row.value > 0])).toEqual([
        ['bytes', true],
        ['documents', true],
      ]);

      expect(run.stdout).toMatch(/section\s+metric\s+value\s+target\s+status/);
      expect(run.stdout).toContain(`Results written to ${out}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
