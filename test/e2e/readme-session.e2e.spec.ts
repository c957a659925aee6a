import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordDemoHistory } from '../support/demo-history';
import { ApiUnderTest, startApi } from '../http/api-under-test';
import { openSqliteStoreUnderTest } from '../http/sqlite-store-under-test';

/** The README's curl session, exactly as written there (its TOKEN and API lines aside). */
function readmeSession(): string {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A short curl session'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('the README has no curl session');
  return block
    .split('\n')
    .filter((line) => !/^(TOKEN|API)=/.test(line))
    .join('\n');
}

/** Runs the session with bash and curl against the API; returns the status of each request, and $ETAG. */
async function runSession(api: ApiUnderTest, url: string): Promise<{ statuses: number[]; etag: string; output: string }> {
  // Each curl call also prints its status.
  const script = `curl() { command curl -w '\\n[HTTP %{http_code}]\\n' "$@"; }\n${readmeSession()}\necho "[ETAG $ETAG]"\n`;
  // Not spawnSync: the API answering curl runs in this very process.
  const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], { env: { ...process.env, TOKEN: api.tokens.admin, API: url } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (status !== 0) throw new Error(`the session failed (${status}): ${stderr}`);
  return {
    statuses: [...stdout.matchAll(/\[HTTP (\d{3})\]/g)].map((match) => Number(match[1])),
    etag: /\[ETAG (.*)\]/.exec(stdout)?.[1] ?? '',
    output: `${stdout}${stderr}`,
  };
}

/**
 * The README's curl session and `npm run demo` share one data directory, in either order, each
 * possibly run again (the demo's history is recorded as `npm run demo` records it: the same steps
 * through the same command path, under the same idempotency keys).
 */
describe('the README’s curl session and the demo history on one data directory', () => {
  let api: ApiUnderTest;
  let url: string;

  beforeEach(async () => {
    api = await startApi(openSqliteStoreUnderTest);
    await api.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(api.app.getHttpServer().address() as { port: number }).port}`;
  });
  afterEach(async () => {
    await api.close();
  });

  const expectSession = (run: Awaited<ReturnType<typeof runSession>>) => {
    // The launch, bad input (400), the convention under If-Match, the call under an Idempotency-Key, the stream read:
    // never a 409, never a 5xx.
    expect({ statuses: run.statuses.map((status) => (status === 201 ? 200 : status)), output: run.output }).toEqual({ statuses: [200, 400, 200, 200, 200], output: run.output });
    expect(run.etag).toMatch(/^"\d+"$/);
    expect(run.output).toContain('"code":"INPUT.INVALID"');
  };

  it('runs the session, then the demo, then both again', async () => {
    const first = await runSession(api, url);
    expectSession(first);
    expect(first.statuses).toEqual([201, 400, 201, 201, 200]);
    await recordDemoHistory(api.store);
    expectSession(await runSession(api, url));
    await recordDemoHistory(api.store);
  }, 120_000);

  it('runs the demo, then the session, then the session again', async () => {
    await recordDemoHistory(api.store);
    const after = await runSession(api, url);
    expectSession(after);
    expect(after.statuses).toEqual([200, 400, 200, 200, 200]);
    expectSession(await runSession(api, url));
  }, 120_000);
});
