import { schemaVersionOf } from '@jalon/domain';
import { collect, SqliteEventStore } from '@jalon/event-store';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { legacyHistory } from '../support/legacy-history';
import { mountSmallDisk } from '../support/small-disk';
import { assertBuilt, jalon } from './cli';

/**
 * End to end, as the compiled CLI runs: `jalon upgrade` on a history recorded before calls listed
 * their candidacies and antennas their agreements (decision 0064).
 */
describe('jalon upgrade', () => {
  let root: string;
  beforeAll(() => {
    assertBuilt();
    root = mkdtempSync(join(tmpdir(), 'jalon-upgrade-e2e-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const legacyDataDir = async (dataDir: string) => {
    mkdirSync(dataDir, { recursive: true });
    const store = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    try {
      await legacyHistory(store);
    } finally {
      await store.close();
    }
  };

  it('rule: --dry-run says in French what a run would record, each with its date, and what it would leave, each named, and writes nothing to the log', async () => {
    const dataDir = join(root, 'legacy-dry-run');
    await legacyDataDir(dataDir);
    const before = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    const head = await before.headPosition();
    await before.close();

    const dryRun = jalon(['upgrade', '--dry-run'], dataDir);
    expect(dryRun.stderr).toBe('');
    expect(dryRun.status).toBe(0);
    expect(dryRun.stdout).toBe(
      [
        'Mise à niveau (essai : rien n’est écrit dans le journal) : 2 inscription(s) de candidature, 1 convention(s) à rattacher.',
        '  Candidature ami-2--pays-de-montbeliard à l’appel ami-2 : serait inscrite à la date du 10/12/2020.',
        '  Candidature ami-2--vierzon à l’appel ami-2 : serait inscrite à la date du 03/11/2020.',
        '  Convention de financement bdt-seed de l’antenne montbeliard : serait rattachée à la date du 01/07/2021.',
        'Laissées telles quelles, leur clôture étant déjà enregistrée (il n’y a plus de clôture à garder) : 1 candidature(s) d’appels déjà clos, 1 convention(s) d’antennes déjà fermées.',
        '  Candidature ami-1--chaumont à l’appel ami-1 : laissée telle quelle (appel déjà clos).',
        '  Convention de financement bdt-vierzon de l’antenne vierzon : laissée telle quelle (antenne déjà fermée).',
        '',
      ].join('\n'),
    );
    const after = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    expect(await after.headPosition()).toBe(head);
    await after.close();
    // The run itself then records what the trial said.
    expect(jalon(['upgrade'], dataDir).stdout.split('\n')[0]).toBe('Mise à niveau : 2 inscription(s) de candidature, 1 convention(s) rattachée(s).');
  });

  it('rule: it records in French each missing registration and attachment, dated as its fact, says what it left, each named, and run again writes nothing', async () => {
    const dataDir = join(root, 'legacy');
    await legacyDataDir(dataDir);

    const first = jalon(['upgrade'], dataDir);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(
      [
        'Mise à niveau : 2 inscription(s) de candidature, 1 convention(s) rattachée(s).',
        '  Candidature ami-2--pays-de-montbeliard à l’appel ami-2 : inscrite à la date du 10/12/2020.',
        '  Candidature ami-2--vierzon à l’appel ami-2 : inscrite à la date du 03/11/2020.',
        '  Convention de financement bdt-seed de l’antenne montbeliard : rattachée à la date du 01/07/2021.',
        'Laissées telles quelles, leur clôture étant déjà enregistrée (il n’y a plus de clôture à garder) : 1 candidature(s) d’appels déjà clos, 1 convention(s) d’antennes déjà fermées.',
        '  Candidature ami-1--chaumont à l’appel ami-1 : laissée telle quelle (appel déjà clos).',
        '  Convention de financement bdt-vierzon de l’antenne vierzon : laissée telle quelle (antenne déjà fermée).',
        '',
      ].join('\n'),
    );
    const store = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    const head = await store.headPosition();
    const claims = (await collect(store.readAll({ types: ['CallCandidacyRegistered', 'FundingAgreementAttached'] }))).map((event) => event.metadata.actor);
    await store.close();
    expect(claims).toEqual(['cli', 'cli', 'cli']);

    const again = jalon(['upgrade'], dataDir);
    expect(again.status).toBe(0);
    expect(again.stdout.split('\n')[0]).toBe('Mise à niveau : 0 inscription(s) de candidature, 0 convention(s) rattachée(s) ; rien ne manquait, rien n’a été écrit.');
    const after = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    expect(await after.headPosition()).toBe(head);
    await after.close();
  });

  it('rule: a claim today\'s rules refuse (a funder recorded as a formula before they were refused at input) is named on stderr in French with its error, exit 1, nothing written for it, without advice to correct a recorded fact; the others are recorded', async () => {
    const dataDir = join(root, 'legacy-refused');
    await legacyDataDir(dataDir);
    const store = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    // Recorded before cc6eb5e, which refuses at input a text starting as a spreadsheet formula (values recorded before are not revalidated).
    await store.append(
      'funding-region-bfc',
      [
        {
          id: randomUUID(),
          type: 'FundingCommitted',
          version: schemaVersionOf('FundingCommitted'),
          data: {
            antennaId: 'montbeliard',
            agreementId: 'region-bfc',
            funder: '=Région Bourgogne-Franche-Comté',
            label: 'Aide régionale',
            amountCents: 5_000_000,
            tranches: [{ trancheId: 'unique', amountCents: 5_000_000, dueOn: '2021-12-31' }],
            effectiveDate: '2021-08-02',
          },
          metadata: { actor: 'fin-1', role: 'finance', correlationId: 'c', causationId: 'c', recordedAt: '2021-08-02T09:00:00Z' },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await store.close();

    const run = jalon(['upgrade'], dataDir);
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe('Mise à niveau : 2 inscription(s) de candidature, 1 convention(s) rattachée(s).');
    expect(run.stdout).toContain('  Convention de financement bdt-seed de l’antenne montbeliard : rattachée à la date du 01/07/2021.');
    expect(run.stdout).not.toContain('region-bfc');
    const [named, ...rest] = run.stderr.split('\n');
    expect(named).toMatch(/^Convention de financement region-bfc de l’antenne montbeliard : refusée\. Erreur INPUT\.INVALID : /);
    expect(rest).toEqual([
      '  - funder ne doit pas commencer par =, +, - ou @ (ni par une tabulation) : ce texte est publié tel quel en données ouvertes (format SCDL), où un tableur le lirait comme une formule',
      // Not « corrigez la cause puis relancez »: a recorded fact cannot be corrected, the refusal comes back at every run.
      '1 inscription(s) ou rattachement(s) refusé(s) : rien n’a été écrit pour eux ; 1 refusé(s) pour des données que les règles de saisie d’aujourd’hui n’acceptent plus, enregistrées avant elles : un fait enregistré ne se corrige pas, ce refus reviendra à chaque passage, et leur appel ou leur antenne ne les listera pas (sa clôture ne les attendra pas).',
      '',
    ]);
    const after = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    const attached = (await collect(after.readStream('antenna-montbeliard'))).filter((event) => event.type === 'FundingAgreementAttached').map((event) => event.data.agreementId);
    await after.close();
    expect(attached).toEqual(['bdt-seed']);
  });

  it('rule: on a log that cannot be written (a read-only medium) it is refused in French, exit 1, naming the file, and nothing is written', async () => {
    const disk = mountSmallDisk(32 * 1024);
    try {
      const dataDir = join(disk.path, 'donnees');
      await legacyDataDir(dataDir);
      disk.readOnly();
      try {
        const run = jalon(['upgrade'], dataDir);
        expect(run.status).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(/^Erreur STORE\.UNAVAILABLE : le journal ne peut pas être écrit \(.*donnees : support en lecture seule\) : jalon upgrade y inscrit ce qui manque ; rien n’a été lu ni écrit/);
      } finally {
        disk.readWrite();
      }
    } finally {
      disk.unmount();
    }
  });
});
