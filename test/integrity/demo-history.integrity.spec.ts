import { systemClock } from '@jalon/application';
import { antennaSubject, loadConfig, verifyAndSeal, verifyStore } from '@jalon/core';
import { auditExportLines, collect, SqliteEventStore, verifyAuditExport } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordDemoHistory } from '../support/demo-history';

/** The demo history, recorded through the command path, is a provable history from its first event. */
describe('the demo history, verified', () => {
  let dir: string;
  let store: SqliteEventStore;
  const config = () => loadConfig({ DATA_DIR: dir });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-demo-integrity-'));
    store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
    await recordDemoHistory(store);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: every event of the demo is chained by the command path and the log verifies', async () => {
    const report = await verifyStore(store, config());
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, beforeChain: 0, seals: 0 });
    expect(report.chained).toBe(report.events);
  });

  it('rule: sealed, the Montbéliard antenna’s audit export verifies offline against the service’s key', async () => {
    const outcome = await verifyAndSeal(store, config(), systemClock);
    expect(outcome.sealed).toBeDefined();
    const lines = await collect(auditExportLines(store, { subject: await antennaSubject(store, 'montbeliard'), seal: outcome.latest!, signer: outcome.key }));
    const report = await verifyAuditExport(lines, { publicKey: outcome.key.publicKey });
    expect(report).toMatchObject({ ok: true, keyMatches: true, subject: 'l’antenne montbeliard' });
    expect((await verifyStore(store, config())).ok).toBe(true);
  });
});
