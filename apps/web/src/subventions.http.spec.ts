import request from 'supertest';
import { DashboardUnderTest, startDashboard } from '../../../test/browser/dashboard-under-test';

/** Every constraint ../shared/standards/scdl-subventions.md lists, checked on one parsed row (field → value). */
const FIELDS = [
  'nomAttribuant', 'idAttribuant', 'dateConvention', 'referenceDecision', 'nomBeneficiaire', 'idBeneficiaire', 'rnaBeneficiaire', 'objet',
  'montant', 'nature', 'conditionsVersement', 'datesPeriodeVersement', 'idRAE', 'notificationUE', 'pourcentageSubvention', 'dispositifAide',
];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const realDate = (value: string) => ISO_DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

export function scdlViolations(row: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const need = (field: string) => row[field] === undefined || row[field] === '' ? problems.push(`${field} manquant`) : undefined;
  for (const field of ['nomAttribuant', 'idAttribuant', 'dateConvention', 'referenceDecision', 'nomBeneficiaire', 'objet', 'montant', 'nature', 'conditionsVersement', 'datesPeriodeVersement', 'notificationUE', 'pourcentageSubvention']) need(field);
  if (!/^\d{14}$/.test(row.idAttribuant ?? '')) problems.push('idAttribuant');
  if (!realDate(row.dateConvention ?? '')) problems.push('dateConvention');
  const inKindAssociation = row.nature === 'aide en nature' && /^W\d{9}$/.test(row.rnaBeneficiaire ?? '');
  if (!(/^\d{14}$/.test(row.idBeneficiaire ?? '') || (row.idBeneficiaire === '' && inKindAssociation))) problems.push('idBeneficiaire');
  if (row.rnaBeneficiaire !== '' && !/^W\d{9}$/.test(row.rnaBeneficiaire ?? '')) problems.push('rnaBeneficiaire');
  if ([...(row.objet ?? '')].length > 256) problems.push('objet > 256');
  if (!/^\d+(\.\d+)?$/.test(row.montant ?? '') || !(Number(row.montant) > 0)) problems.push('montant');
  if (!['aide en numéraire', 'aide en nature', 'aide en numéraire;aide en nature', 'aide en nature;aide en numéraire'].includes(row.nature ?? '')) problems.push('nature');
  const conditions = row.conditionsVersement ?? '';
  if (!(conditions === 'unique' || conditions === 'échelonné' || conditions.startsWith('autre')) || [...conditions].length > 256) problems.push('conditionsVersement');
  const period = row.datesPeriodeVersement ?? '';
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}(\/[0-9]{4}-[0-9]{2}-[0-9]{2})?$/.test(period) || !period.split('/').every(realDate)) problems.push('datesPeriodeVersement');
  if ((row.idRAE ?? '').length >= 5) problems.push('idRAE');
  if (!['oui', 'non'].includes(row.notificationUE ?? '')) problems.push('notificationUE');
  const share = Number(row.pourcentageSubvention);
  if (!/^\d+(\.\d+)?$/.test(row.pourcentageSubvention ?? '') || share < 0.01 || share > 1) problems.push('pourcentageSubvention');
  return problems;
}

/** RFC 4180 with `,`: enough for the export (quoted fields, doubled quotes). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field), records.push(record), (record = []), (field = ''), i++;
    } else field += c;
  }
  if (field !== '' || record.length > 0) record.push(field), records.push(record);
  return records;
}

describe('SCDL « subventions » export on the demo history', () => {
  let dashboard: DashboardUnderTest;
  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 30_000);
  afterAll(async () => {
    await dashboard.close();
  });
  const api = () => request(dashboard.app.getHttpServer());

  it('writes one row per agreement, in the national format, every row passing every constraint of the standard', async () => {
    // The read models follow the store: wait until they hold the whole demo history.
    const head = String(await dashboard.store.headPosition());
    const response = await api().get(`/api/reports/subventions?format=csv&waitForPosition=${head}`).set('Authorization', `Bearer ${dashboard.tokens.finance}`).buffer(true).expect(200);
    const bytes = Buffer.from(response.text, 'utf8');
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const [header, ...rows] = parseCsv(response.text);
    expect(header).toEqual(FIELDS);
    expect(rows).toHaveLength(1);
    const row = Object.fromEntries(FIELDS.map((field, index) => [field, rows[0]![index]!]));
    expect(rows[0]).toHaveLength(FIELDS.length);
    expect(scdlViolations(row)).toEqual([]);
    expect(row).toMatchObject({
      nomAttribuant: 'Caisse des dépôts et consignations',
      dateConvention: '2021-06-01',
      montant: '100000.00',
      conditionsVersement: 'échelonné',
      datesPeriodeVersement: '2021-09-01/2023-06-30',
      notificationUE: 'non',
      pourcentageSubvention: '1.00',
    });
  });

  it('the checker itself refuses what the standard forbids', () => {
    const good = { nomAttribuant: 'A', idAttribuant: '99900000100019', dateConvention: '2021-06-01', referenceDecision: 'R', nomBeneficiaire: 'B', idBeneficiaire: '99900000200017', rnaBeneficiaire: '', objet: 'O', montant: '47800.20', nature: 'aide en numéraire', conditionsVersement: 'unique', datesPeriodeVersement: '2021-09-01', idRAE: '', notificationUE: 'oui', pourcentageSubvention: '1.00', dispositifAide: '' };
    expect(scdlViolations(good)).toEqual([]);
    expect(scdlViolations({ ...good, montant: '47800,20', idAttribuant: '1234', notificationUE: 'true', datesPeriodeVersement: '01/09/2021', pourcentageSubvention: '0', nature: 'cash', idRAE: '12345', objet: 'x'.repeat(257) })).toEqual(
      expect.arrayContaining(['montant', 'idAttribuant', 'notificationUE', 'datesPeriodeVersement', 'pourcentageSubvention', 'nature', 'idRAE', 'objet > 256']),
    );
  });

  it('rule: an agreement without its public data stops it with a French 422 naming the agreement, its antenna and the field as people know them (no raw id, no field path)', async () => {
    const token = dashboard.tokens.finance;
    const commit = await api()
      .post('/api/antennas/montbeliard/funding-agreements')
      .set('Authorization', `Bearer ${token}`)
      .send({ agreementId: 'region-bfc', funder: 'Région', label: 'Aide régionale', amountCents: 2_000_000, tranches: [{ trancheId: 't1', amountCents: 2_000_000, dueOn: '2024-06-30' }], effectiveDate: '2024-01-10' });
    expect(commit.status).toBeLessThan(300);
    const refused = await api().get(`/api/reports/subventions?format=csv&waitForPosition=${commit.body.position}`).set('Authorization', `Bearer ${token}`).expect(422);
    expect(refused.body.code).toBe('SUBVENTIONS.MISSING_FIELD');
    expect(refused.body.details).toMatchObject({ agreementId: 'region-bfc', field: 'idAttribuant', source: 'publicData.funderSiret' });
    // Said as people know them: the agreement's label and funder, the antenna's name, the form's label of the field; the ids stay in details.
    expect(refused.body.detail).toBe(
      'La convention « Aide régionale » (Région) de l’antenne Cnam Montbéliard — Au cœur des territoires n’a pas de valeur pour « SIRET du financeur », champ obligatoire idAttribuant du format national des subventions : renseignez-le dans les données publiques de la convention avant l’export.',
    );
    const badSiret = await api()
      .post('/api/antennas/montbeliard/funding-agreements/region-bfc/public-data')
      .set('Authorization', `Bearer ${token}`)
      .send({ effectiveDate: '2024-01-10', publicData: { funderSiret: '99900000100018', decisionReference: 'D', beneficiaryName: 'B', beneficiarySiret: '99900000200017', object: 'O', nature: 'aide en numéraire', euNotified: false } })
      .expect(400);
    expect(JSON.stringify(badSiret.body.errors)).toContain('funderSiret doit être un numéro SIRET');
  });
});
