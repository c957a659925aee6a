import { collect, verifyAuditExport } from '@jalon/event-store';
import request from 'supertest';
import { DashboardUnderTest, Role, signInOverHttp, startDashboard } from '../../../test/browser/dashboard-under-test';
import { testEvent } from '../../../test/support/events';

/**
 * The page « Intégrité du journal » and the verifiable audit export through the dashboard's
 * session (issue 16): every role reads the last verification, the last seal and the public key;
 * auditors and administrators download the same file as `GET /api/audit-export`.
 */
describe('web dashboard: log integrity page and verifiable export', () => {
  const linesOf = (text: string) => text.split('\n').filter((line) => line !== '');

  const signedIn = (dashboard: DashboardUnderTest, role: Role): Promise<request.Agent> => signInOverHttp(dashboard.app, dashboard.tokens[role]);

  describe('on an intact log', () => {
    let dashboard: DashboardUnderTest;
    const agents = new Map<Role, request.Agent>();
    const as = async (role: Role) => agents.get(role) ?? agents.set(role, await signedIn(dashboard, role)).get(role)!;

    beforeAll(async () => {
      dashboard = await startDashboard({ integrity: true });
    }, 60_000);
    afterAll(async () => {
      await dashboard.close();
    });

    it('is linked for every role and shows the last verification, the last seal and the public key with how a controller uses it', async () => {
      const { body: key } = await request(dashboard.app.getHttpServer()).get('/api/integrity/public-key').expect(200);
      const head = await dashboard.store.headPosition();
      for (const role of ['admin', 'programme-manager', 'finance', 'auditor'] as const) {
        const agent = await as(role);
        expect((await agent.get('/programme').expect(200)).text).toContain('<a href="/integrite">Intégrité du journal</a>');
        const page = await agent.get('/integrite').expect(200);
        expect(page.headers['content-security-policy']).toContain("default-src 'none'");
        expect(page.text).toContain('<a href="/integrite" aria-current="page">Intégrité du journal</a>');
        expect(page.text).toContain('<h1>Intégrité du journal</h1>');
        expect(page.text).not.toContain('role="alert"');
        const verification = section(page.text, 'verification');
        expect(verification).toContain('Intact');
        expect(verification).toMatch(/Vérifié le<\/dt><dd>15\/03\/2024 à 11:00<\/dd>/); // 10:00 UTC, in Paris time
        expect(verification).toContain(`Jusqu’à la position</dt><dd>${head}</dd>`);
        expect(verification).toMatch(/Événements vérifiés<\/dt><dd>\d+ événements dans \d+ flux/);
        const seal = section(page.text, 'sceau');
        expect(seal).toContain('Scellé le</dt><dd>15/03/2024 à 11:00</dd>');
        expect(seal).toContain(`les ${head - 1n} premiers événements du journal`); // every event before the seal
        expect(seal).toContain(`Position du sceau</dt><dd>${head}</dd>`);
        expect(page.text).toContain(`<dd class="empreinte" id="empreinte-cle">${key.keyId}</dd>`);
        expect(page.text).toContain(`<dd class="empreinte" id="cle-publique">${key.publicKey}</dd>`);
        expect(page.text).toContain(`jalon verify-export FICHIER --public-key ${key.publicKey}`);
        const exportLink = page.text.includes('href="/integrite/export-verifiable"');
        expect(exportLink).toBe(role === 'auditor' || role === 'admin');
        if (!exportLink) expect(section(page.text, 'export')).toContain('réservé aux rôles Audit et Administration');
      }
    });

    it('lets an auditor download an antenna’s verifiable export from its page, which verifies against the public key; other roles neither see nor get it', async () => {
      const { body: key } = await request(dashboard.app.getHttpServer()).get('/api/integrity/public-key').expect(200);
      const auditor = await as('auditor');
      const antenna = await auditor.get('/antennes/montbeliard').expect(200);
      expect(antenna.text).toContain('href="/integrite/export-verifiable?antenne=montbeliard" download>Télécharger l’export vérifiable</a>');
      const file = await auditor.get('/integrite/export-verifiable?antenne=montbeliard').buffer(true).expect(200);
      expect(file.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
      expect(file.headers['content-disposition']).toBe('attachment; filename="jalon-audit-montbeliard.jsonl"');
      expect(file.headers['cache-control']).toBe('no-store');
      const lines = linesOf(file.text);
      expect(JSON.parse(lines[0]!)).toMatchObject({ kind: 'header', subject: { kind: 'antenna', id: 'montbeliard' }, keyId: key.keyId });
      const report = await verifyAuditExport(lines, { publicKey: key.publicKey });
      expect(report).toMatchObject({ ok: true, keyMatches: true });
      expect(report.events).toBeGreaterThan(10);
      // One character changed and the file no longer verifies.
      const altered = [...lines];
      altered[3] = altered[3]!.replace('"revision":', '"revision":1');
      expect((await verifyAuditExport(altered, { publicKey: key.publicKey })).ok).toBe(false);

      for (const role of ['finance', 'programme-manager'] as const) {
        const agent = await as(role);
        expect((await agent.get('/antennes/montbeliard').expect(200)).text).not.toContain('/integrite/export-verifiable');
        const refused = await agent.get('/integrite/export-verifiable?antenne=montbeliard').expect(403);
        expect(refused.headers['content-type']).toContain('text/html');
        expect(refused.text).toContain('réservé aux rôles Audit et Administration');
      }
      // Without a session: to the sign-in page, not the file (the API's bearer token is no session).
      await request(dashboard.app.getHttpServer())
        .get('/integrite/export-verifiable')
        .set('Authorization', `Bearer ${dashboard.tokens.auditor}`)
        .expect(303)
        .expect('Location', /^\/connexion\?motif=requise/);
    });

    it('lets an administrator download the whole programme’s export from the integrity page; an unknown antenna is a page not found', async () => {
      const admin = await as('admin');
      const file = await admin.get('/integrite/export-verifiable').buffer(true).expect(200);
      expect(file.headers['content-disposition']).toBe('attachment; filename="jalon-audit-programme.jsonl"');
      expect(file.text).not.toContain('tokenHash');
      const report = await verifyAuditExport(linesOf(file.text));
      expect(report.ok).toBe(true);
      expect(JSON.parse(linesOf(file.text)[0]!)).toMatchObject({ subject: { kind: 'programme' } });

      const unknown = await admin.get('/integrite/export-verifiable?antenne=nulle-part').expect(404);
      expect(unknown.text).toContain('Aucune antenne n’a été ouverte sous l’identifiant « nulle-part »');
      await admin.get('/integrite/export-verifiable?antenne=%3Cscript%3E').expect(404);
    });
  });

  describe('on a log that no longer verifies', () => {
    let dashboard: DashboardUnderTest;

    beforeAll(async () => {
      dashboard = await startDashboard({ integrity: true });
    }, 60_000);
    afterAll(async () => {
      await dashboard.close();
    });

    it('shows the failure first, prominently, naming position, stream and revision, and produces no export', async () => {
      // An event written behind the service's back, without its hash, after chained ones in its stream.
      const stream = await collect(dashboard.store.readStream('antenna-montbeliard'));
      const revision = stream.length;
      await dashboard.store.append('antenna-montbeliard', [testEvent()], { expectedRevision: revision - 1 });
      const position = (await dashboard.store.headPosition()).toString();

      const auditor = await signedIn(dashboard, 'auditor');
      let page = await auditor.get('/integrite').expect(200);
      for (let tries = 0; tries < 100 && !page.text.includes('role="alert"'); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        page = await auditor.get('/integrite').expect(200);
      }
      const alert = /<div class="alerte erreur journal-altere" role="alert"[\s\S]*?<\/table>/.exec(page.text)?.[0] ?? '';
      expect(alert).toContain('Le journal ne se vérifie pas : 1 problème');
      expect(alert).toContain(`<tr><th scope="row">${position}</th><td>antenna-montbeliard</td><td class="nombre">${revision}</td>`);
      expect(alert).toContain(`Position ${position}, flux antenna-montbeliard, révision ${revision}`);
      // The alert comes before the details of the verification.
      expect(page.text.indexOf('role="alert"')).toBeLessThan(page.text.indexOf('id="verification"'));
      expect(section(page.text, 'verification')).toContain('Altéré');

      const refused = await auditor.get('/integrite/export-verifiable?antenne=montbeliard').expect(503);
      expect(refused.headers['content-type']).toContain('text/html');
      expect(refused.text).toContain('L’export vérifiable n’est pas produit : le journal ne se vérifie pas');
      expect(refused.text).toContain('INTEGRITY.LOG_NOT_VERIFIED');
    });

    // After the test above, which wrote an event behind the service's back.
    it('rule: while the log does not verify, every page says so first and every report carries it as its first note (JSON, table) (decision 0056)', async () => {
      const finance = await signedIn(dashboard, 'finance');
      for (const path of ['/programme', '/antennes/montbeliard', '/financements']) {
        const page = await finance.get(path).expect(200);
        const alert = /<div class="alerte erreur journal-altere" role="alert">[\s\S]*?<\/div>/.exec(page.text)?.[0] ?? '';
        expect(alert).toContain('Attention : le journal des événements ne se vérifie pas (1 problème(s)');
        expect(alert).toContain('ces chiffres peuvent reposer sur des faits altérés');
        expect(page.text.indexOf('role="alert"')).toBeLessThan(page.text.indexOf('<h1'));
      }
      const api = request(dashboard.app.getHttpServer());
      const bearer = `Bearer ${dashboard.tokens.finance}`;
      const report = await api.get('/api/reports/budget?antenna=montbeliard').set('Authorization', bearer).expect(200);
      expect(report.body.notes[0]).toMatch(/^Attention : le journal des événements ne se vérifie pas/);
      const table = await api.get('/api/reports/budget?antenna=montbeliard&format=table').set('Authorization', bearer).expect(200);
      expect(table.text).toContain('Attention : le journal des événements ne se vérifie pas');
    });
  });
});

function section(markup: string, id: string): string {
  return new RegExp(`<section id="${id}"[\\s\\S]*?</section>`).exec(markup)?.[0] ?? '';
}
