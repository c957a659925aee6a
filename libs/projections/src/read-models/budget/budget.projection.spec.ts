import type { BudgetLine } from '@jalon/domain';
import { project, projected } from '../../testing/projection-specification';
import { AntennaBudgetDoc, BudgetDoc, BudgetForecastDoc, budgetProjection, BudgetYearFigures, ProgrammeBudgetDoc, ZERO_FIGURES } from './budget.projection';

// Given events, expected documents. Amounts in cents; € in comments.

const opened = (antennaId = 'montbeliard', name = 'Cnam Montbéliard', town = 'Montbéliard') =>
  projected('AntennaOpened', {
    antennaId,
    candidacyId: 'ami-2--pma',
    callId: 'ami-2',
    programmeId: 'acdt',
    name,
    town,
    territory: { id: 'pma', name: 'PMA' },
    effectiveDate: '2021-03-01',
  });

const line = (year: number, category: string, amountCents: number) => ({ year, category, amountCents }) as BudgetLine;
const total = (lines: readonly BudgetLine[]) => lines.reduce((sum, l) => sum + l.amountCents, 0);

const forecastSet = (lines: BudgetLine[], antennaId = 'montbeliard', effectiveDate = '2021-03-01') =>
  projected('BudgetForecastSet', { antennaId, lines, totalCents: total(lines), effectiveDate });

/** The domain's BudgetForecastRevised carries the lines it replaces (`previousLines`). */
const forecastRevised = (revision: number, lines: BudgetLine[], previousLines: BudgetLine[], reason: string, effectiveDate: string, antennaId = 'montbeliard') =>
  projected('BudgetForecastRevised', {
    antennaId,
    revision,
    lines,
    totalCents: total(lines),
    previousTotalCents: total(previousLines),
    previousLines,
    reason,
    effectiveDate,
  });

const committed = (agreementId: string, funder: string, amountCents: number, effectiveDate: string, antennaId = 'montbeliard') =>
  projected('FundingCommitted', {
    agreementId,
    antennaId,
    funder,
    label: `Accord ${agreementId}`,
    amountCents,
    tranches: [{ trancheId: 't1', amountCents, dueOn: effectiveDate }],
    effectiveDate,
  });

const released = (agreementId: string, trancheId: string, amountCents: number, effectiveDate: string, antennaId = 'montbeliard') =>
  projected('BudgetTrancheReleased', { agreementId, antennaId, trancheId, amountCents, effectiveDate });

/** The domain's TrancheReleaseReversed carries the date of the release it reverses (`releasedOn`). */
const releaseReversed = (agreementId: string, trancheId: string, amountCents: number, releasedOn: string, effectiveDate: string, antennaId = 'montbeliard') =>
  projected('TrancheReleaseReversed', { agreementId, antennaId, trancheId, amountCents, releasedOn, reason: 'Condition non remplie', effectiveDate });

const receivedTranche = (agreementId: string, trancheId: string, amountCents: number, effectiveDate: string, antennaId = 'montbeliard') =>
  projected('TrancheReceived', { agreementId, antennaId, trancheId, amountCents, bankReference: 'VIR-1', effectiveDate });

const spent = (expenditureId: string, amountCents: number, effectiveDate: string, antennaId = 'montbeliard') =>
  projected('ExpenditureRecorded', { antennaId, expenditureId, category: 'staff', amountCents, description: 'Dépense', effectiveDate });

/** The domain's ExpenditureReversed carries the category and date of the expenditure it reverses. */
const spendingReversed = (expenditureId: string, amountCents: number, expenditureDate: string, effectiveDate: string, antennaId = 'montbeliard') =>
  projected('ExpenditureReversed', { antennaId, expenditureId, amountCents, category: 'staff', expenditureDate, reason: 'Saisie en double', effectiveDate });

const year = (y: number, figures: Partial<BudgetYearFigures>): BudgetYearFigures => ({ year: y, ...ZERO_FIGURES, ...figures });

function antennaDoc(events: Parameters<typeof project>[1], antennaId = 'montbeliard'): AntennaBudgetDoc {
  return project(budgetProjection, events).get(`antenna:${antennaId}`) as AntennaBudgetDoc;
}

function forecastOf(events: Parameters<typeof project>[1], antennaId = 'montbeliard'): BudgetForecastDoc['forecast'] | undefined {
  return (project(budgetProjection, events).get(`forecast:${antennaId}`) as BudgetForecastDoc | undefined)?.forecast;
}

const FORECAST = [
  line(2021, 'staff', 7_000_000), // 70 000 €
  line(2021, 'premises', 5_000_000), // 50 000 €  → 2021: 120 000 €
  line(2022, 'staff', 10_000_000), // 100 000 € → 2022: 100 000 €
];

describe('budget projection', () => {
  it('reads every event type it handles, and names them all in `handles`', () => {
    expect([...budgetProjection.handles].sort()).toEqual(
      [
        'AntennaOpened',
        'BudgetForecastRevised',
        'BudgetForecastSet',
        'BudgetTrancheReleased',
        'DocumentAttached',
        'ExpenditureRecorded',
        'ExpenditureReversed',
        'FundingCommitted',
        'TrancheReceived',
        'TrancheReleaseReversed',
      ].sort(),
    );
    expect(budgetProjection).toMatchObject({ name: 'budget', version: 3 });
  });

  it('AntennaOpened gives the antenna its name and town, and touches no programme figure', () => {
    const model = project(budgetProjection, [opened()]);
    expect(model.get('antenna:montbeliard')).toEqual({
      kind: 'antenna',
      antennaId: 'montbeliard',
      antennaName: 'Cnam Montbéliard',
      town: 'Montbéliard',
      years: [],
      totals: ZERO_FIGURES,
    });
    expect(model.get('programme')).toBeUndefined();
  });

  it('keeps name and town null until AntennaOpened is known, then fills them in without losing figures', () => {
    const before = antennaDoc([spent('e1', 100_000, '2021-05-01')]);
    expect(before.antennaName).toBeNull();
    expect(before.town).toBeNull();
    const after = antennaDoc([spent('e1', 100_000, '2021-05-01'), opened()]);
    expect(after.antennaName).toBe('Cnam Montbéliard');
    expect(after.totals.spentCents).toBe(100_000);
  });

  it('BudgetForecastSet: the forecast as first set is both the original and the current one, per year and in total', () => {
    expect(forecastOf([opened(), forecastSet(FORECAST)])).toEqual({
      original: { lines: FORECAST, totalCents: 22_000_000, effectiveDate: '2021-03-01' },
      current: { lines: FORECAST, totalCents: 22_000_000, effectiveDate: '2021-03-01', revision: 0 },
      revisionCount: 0,
      revisions: [],
    });
    expect(antennaDoc([opened(), forecastSet(FORECAST)])).toEqual({
      kind: 'antenna',
      antennaId: 'montbeliard',
      antennaName: 'Cnam Montbéliard',
      town: 'Montbéliard',
      years: [
        year(2021, { forecastOriginalCents: 12_000_000, forecastCurrentCents: 12_000_000 }),
        year(2022, { forecastOriginalCents: 10_000_000, forecastCurrentCents: 10_000_000 }),
      ],
      totals: { ...ZERO_FIGURES, forecastOriginalCents: 22_000_000, forecastCurrentCents: 22_000_000 },
    });
  });

  it('BudgetForecastRevised restates the current forecast (per year, including a year it moves money out of) and keeps the original and every revision', () => {
    // Revision 1: 20 000 € moved from 2021 premises to 2023 teaching; total unchanged.
    const revised1 = [line(2021, 'staff', 7_000_000), line(2021, 'premises', 3_000_000), line(2022, 'staff', 10_000_000), line(2023, 'teaching', 2_000_000)];
    // Revision 2: 2022 dropped entirely, 2023 raised: total 120 000 € + 0 + 50 000 € = 170 000 €.
    const revised2 = [line(2021, 'staff', 7_000_000), line(2021, 'premises', 5_000_000), line(2023, 'teaching', 5_000_000)];
    const events = [
      opened(),
      forecastSet(FORECAST),
      forecastRevised(1, revised1, FORECAST, 'Réaffectation', '2022-11-15'),
      forecastRevised(2, revised2, revised1, 'Report de 2022', '2023-01-10'),
    ];
    expect(forecastOf(events)).toEqual({
      original: { lines: FORECAST, totalCents: 22_000_000, effectiveDate: '2021-03-01' },
      current: { lines: revised2, totalCents: 17_000_000, effectiveDate: '2023-01-10', revision: 2 },
      revisionCount: 2,
      revisions: [
        {
          revision: 1,
          effectiveDate: '2022-11-15',
          reason: 'Réaffectation',
          previousTotalCents: 22_000_000,
          totalCents: 22_000_000,
          // Only what moved: 2021 premises 50 000 → 30 000 €, 2023 teaching 0 → 20 000 €.
          changes: [
            { year: 2021, category: 'premises', previousCents: 5_000_000, cents: 3_000_000 },
            { year: 2023, category: 'teaching', previousCents: 0, cents: 2_000_000 },
          ],
        },
        {
          revision: 2,
          effectiveDate: '2023-01-10',
          reason: 'Report de 2022',
          previousTotalCents: 22_000_000,
          totalCents: 17_000_000,
          // Against revision 1, not the original: 2021 premises 30 000 → 50 000 €, 2022 staff dropped, 2023 teaching 20 000 → 50 000 €.
          changes: [
            { year: 2021, category: 'premises', previousCents: 3_000_000, cents: 5_000_000 },
            { year: 2022, category: 'staff', previousCents: 10_000_000, cents: 0 },
            { year: 2023, category: 'teaching', previousCents: 2_000_000, cents: 5_000_000 },
          ],
        },
      ],
    });
    expect(antennaDoc(events)).toEqual({
      kind: 'antenna',
      antennaId: 'montbeliard',
      antennaName: 'Cnam Montbéliard',
      town: 'Montbéliard',
      years: [
        year(2021, { forecastOriginalCents: 12_000_000, forecastCurrentCents: 12_000_000 }),
        year(2022, { forecastOriginalCents: 10_000_000, forecastCurrentCents: 0 }),
        year(2023, { forecastOriginalCents: 0, forecastCurrentCents: 5_000_000 }),
      ],
      totals: { ...ZERO_FIGURES, forecastOriginalCents: 22_000_000, forecastCurrentCents: 17_000_000 },
    });
  });

  it('rule: recording an expenditure, a release or a receipt writes the figures, never the forecast (its own document, set and revised only by forecast events)', () => {
    const before = [opened(), forecastSet(FORECAST), committed('bdt', 'Banque des Territoires', 10_000_000, '2021-06-01')];
    for (const event of [spent('e1', 100_000, '2021-05-01'), released('bdt', 't1', 4_000_000, '2021-09-15'), receivedTranche('bdt', 't1', 4_000_000, '2022-01-05')]) {
      expect(budgetProjection.keysOf(event)).not.toContain('forecast:montbeliard');
    }
    expect(budgetProjection.keysOf(forecastSet(FORECAST))).toEqual(['antenna:montbeliard', 'programme', 'forecast:montbeliard']);
    expect(antennaDoc(before)).not.toHaveProperty('forecast');
    expect(forecastOf([opened()])).toBeUndefined();
    expect(forecastOf([...before, spent('e1', 100_000, '2021-05-01')])).toEqual(forecastOf(before));
  });

  it('FundingCommitted: committed per funder, in the year of the commitment’s effective date', () => {
    const doc = antennaDoc([
      opened(),
      committed('bdt', 'Banque des Territoires', 10_000_000, '2021-06-01'),
      committed('region', 'Région Bourgogne-Franche-Comté', 5_000_000, '2021-09-01'),
      committed('bdt-2', 'Banque des Territoires', 2_000_000, '2022-02-01'),
    ]);
    expect(doc.years).toEqual([
      year(2021, {
        committedCents: 15_000_000,
        committedByFunder: { 'Banque des Territoires': 10_000_000, 'Région Bourgogne-Franche-Comté': 5_000_000 },
      }),
      year(2022, { committedCents: 2_000_000, committedByFunder: { 'Banque des Territoires': 2_000_000 } }),
    ]);
    expect(doc.totals).toEqual({
      ...ZERO_FIGURES,
      committedCents: 17_000_000,
      committedByFunder: { 'Banque des Territoires': 12_000_000, 'Région Bourgogne-Franche-Comté': 5_000_000 },
    });
  });

  it('released = releases − reversals; a reversal cancels the release in the year of the release it reverses; received by year of receipt', () => {
    const doc = antennaDoc([
      opened(),
      committed('bdt', 'Banque des Territoires', 10_000_000, '2021-06-01'),
      released('bdt', 't1', 4_000_000, '2021-09-15'),
      receivedTranche('bdt', 't1', 4_000_000, '2022-01-05'), // received the next year
      released('bdt', 't2', 3_000_000, '2022-12-20'),
      releaseReversed('bdt', 't2', 3_000_000, '2022-12-20', '2023-01-10'), // reversed the next year: cancels 2022
      released('bdt', 't2', 3_000_000, '2023-02-01'), // released again: counts in 2023
    ]);
    expect(doc).toEqual({
      kind: 'antenna',
      antennaId: 'montbeliard',
      antennaName: 'Cnam Montbéliard',
      town: 'Montbéliard',
      years: [
        year(2021, { committedCents: 10_000_000, committedByFunder: { 'Banque des Territoires': 10_000_000 }, releasedCents: 4_000_000 }),
        year(2022, { releasedCents: 0, receivedCents: 4_000_000 }),
        year(2023, { releasedCents: 3_000_000 }),
      ],
      totals: {
        ...ZERO_FIGURES,
        committedCents: 10_000_000,
        committedByFunder: { 'Banque des Territoires': 10_000_000 },
        releasedCents: 7_000_000, // 40 000 € + 30 000 € − 30 000 € + 30 000 €
        receivedCents: 4_000_000,
      },
    });
  });

  it('spent = expenditures − reversals, by year of the expenditure; a reversal takes the year of the expenditure it reverses', () => {
    const doc = antennaDoc([
      opened(),
      forecastSet(FORECAST),
      spent('e2021', 5_050_000, '2021-12-31'), // 50 500 € in 2021
      spent('e2022', 450_000, '2022-06-30'), // 4 500 € in 2022
      spent('e2022-bis', 450_000, '2022-12-30'), // duplicate entry, 2022
      spendingReversed('e2022-bis', 450_000, '2022-12-30', '2023-01-08'), // reversed in 2023: cancels 2022
      spent('e2025', 100_000, '2025-01-02'), // a year with no forecast appears
    ]);
    expect(doc.years).toEqual([
      year(2021, { forecastOriginalCents: 12_000_000, forecastCurrentCents: 12_000_000, spentCents: 5_050_000 }),
      year(2022, { forecastOriginalCents: 10_000_000, forecastCurrentCents: 10_000_000, spentCents: 450_000 }),
      year(2025, { spentCents: 100_000 }),
    ]);
    expect(doc.totals).toEqual({ ...ZERO_FIGURES, forecastOriginalCents: 22_000_000, forecastCurrentCents: 22_000_000, spentCents: 5_600_000 });
  });

  it('no document grows with the number of expenditures: each delta comes from the event alone', () => {
    const events = (count: number) => [
      opened(),
      forecastSet(FORECAST),
      ...Array.from({ length: count }, (_, i) => spent(`e${i}`, 1_000, '2021-05-01')),
      ...Array.from({ length: count }, (_, i) => spendingReversed(`e${i}`, 1_000, '2021-05-01', '2022-01-10')).filter((_, i) => i % 2 === 0),
    ];
    const size = (count: number) => {
      const model = project(budgetProjection, events(count));
      return [JSON.stringify(model.get('antenna:montbeliard')).length, JSON.stringify(model.get('programme')).length];
    };
    const [antennaSmall, programmeSmall] = size(10);
    const [antennaLarge, programmeLarge] = size(1_000);
    // Only the digits of the sums may grow.
    expect(antennaLarge! - antennaSmall!).toBeLessThan(20);
    expect(programmeLarge! - programmeSmall!).toBeLessThan(20);
    expect(antennaDoc(events(1_000)).totals.spentCents).toBe(500_000);
  });

  it('an expenditure id such as `__proto__` or `constructor` is booked like any other', () => {
    const doc = antennaDoc([spent('__proto__', 1_000, '2021-01-10'), spent('constructor', 2_000, '2021-01-10'), spendingReversed('__proto__', 1_000, '2021-01-10', '2022-01-01')]);
    expect(doc.totals.spentCents).toBe(2_000);
    expect(doc.years).toEqual([year(2021, { spentCents: 2_000 })]);
  });

  it('rule: an expenditure lists its supplier and invoice number (version 2; null for version 1) and the documents attached to it, which change no figure', () => {
    const invoice = { sha256: 'a'.repeat(64), fileName: 'facture-F-2023-014.pdf', mediaType: 'application/pdf', sizeBytes: 48_213, effectiveDate: '2023-03-10' };
    const events = [
      opened(),
      projected('ExpenditureRecorded', {
        antennaId: 'montbeliard',
        expenditureId: 'amenagement',
        category: 'premises',
        amountCents: 1_250_000,
        description: 'Aménagement de l’accueil',
        supplier: 'Menuiserie Peugeot Frères',
        invoiceNumber: 'F-2023-014',
        effectiveDate: '2023-03-02',
      }),
      spent('coordination', 1_000, '2023-03-05'),
    ];
    const attached = projected('DocumentAttached', { antennaId: 'montbeliard', subject: { kind: 'expenditure', expenditureId: 'amenagement' }, ...invoice });
    const onRevision = projected('DocumentAttached', { antennaId: 'montbeliard', subject: { kind: 'budget-revision', revision: 1 }, ...invoice, sha256: 'b'.repeat(64) });
    const model = project(budgetProjection, [...events, attached, onRevision]);
    expect(model.list('expenditure:montbeliard/')).toMatchObject([
      { expenditureId: 'amenagement', supplier: 'Menuiserie Peugeot Frères', invoiceNumber: 'F-2023-014', documents: [invoice] },
      { expenditureId: 'coordination', supplier: null, invoiceNumber: null, documents: [] },
    ]);
    expect(model.get('antenna:montbeliard')).toEqual(project(budgetProjection, events).get('antenna:montbeliard'));
    expect(model.get('programme')).toEqual(project(budgetProjection, events).get('programme'));
  });

  it('rule: each expenditure is listed in its own document as recorded (date, category, amount, description, agreement); a reversal marks it with its date and reason', () => {
    const model = project(budgetProjection, [
      opened(),
      projected('ExpenditureRecorded', { antennaId: 'montbeliard', expenditureId: 'amenagement', category: 'premises', amountCents: 4_500_000, description: 'Aménagement', fundingAgreementId: 'bdt', effectiveDate: '2021-06-01' }),
      spent('coordination', 1_000, '2021-07-01'),
      spent('autre-antenne', 2_000, '2021-07-01', 'chaumont'),
      spendingReversed('coordination', 1_000, '2021-07-01', '2022-01-10'),
    ]);
    expect(model.list('expenditure:montbeliard/')).toEqual([
      {
        kind: 'expenditure',
        antennaId: 'montbeliard',
        expenditureId: 'amenagement',
        effectiveDate: '2021-06-01',
        category: 'premises',
        amountCents: 4_500_000,
        description: 'Aménagement',
        fundingAgreementId: 'bdt',
        supplier: null,
        invoiceNumber: null,
        documents: [],
        reversal: null,
      },
      {
        kind: 'expenditure',
        antennaId: 'montbeliard',
        expenditureId: 'coordination',
        effectiveDate: '2021-07-01',
        category: 'staff',
        amountCents: 1_000,
        description: 'Dépense',
        fundingAgreementId: null,
        supplier: null,
        invoiceNumber: null,
        documents: [],
        reversal: { effectiveDate: '2022-01-10', reason: 'Saisie en double' },
      },
    ]);
    expect(model.list('expenditure:chaumont/').map((doc) => (doc as { expenditureId: string }).expenditureId)).toEqual(['autre-antenne']);
  });

  it('the programme document sums every antenna’s figures per year and in total, with the same year attribution', () => {
    const model = project(budgetProjection, [
      opened('montbeliard', 'Cnam Montbéliard', 'Montbéliard'),
      opened('chaumont', 'Cnam Chaumont', 'Chaumont'),
      forecastSet(FORECAST, 'montbeliard'),
      forecastSet([line(2021, 'staff', 1_000_000), line(2023, 'staff', 2_000_000)], 'chaumont'),
      forecastRevised(
        1,
        [line(2021, 'staff', 1_000_000), line(2022, 'staff', 2_000_000)],
        [line(2021, 'staff', 1_000_000), line(2023, 'staff', 2_000_000)],
        'Avancé d’un an',
        '2021-06-01',
        'chaumont',
      ),
      committed('bdt-m', 'Banque des Territoires', 10_000_000, '2021-06-01', 'montbeliard'),
      committed('bdt-c', 'Banque des Territoires', 5_000_000, '2022-06-01', 'chaumont'),
      released('bdt-m', 't1', 4_000_000, '2021-09-15', 'montbeliard'),
      released('bdt-c', 't1', 5_000_000, '2022-12-15', 'chaumont'),
      releaseReversed('bdt-c', 't1', 5_000_000, '2022-12-15', '2023-01-15', 'chaumont'),
      receivedTranche('bdt-m', 't1', 4_000_000, '2021-09-28', 'montbeliard'),
      spent('x', 1_000_000, '2021-10-01', 'montbeliard'),
      spent('x', 300_000, '2022-10-01', 'chaumont'), // same expenditure id, another antenna: booked apart
      spendingReversed('x', 300_000, '2022-10-01', '2023-02-01', 'chaumont'),
    ]);
    const programme = model.get('programme') as ProgrammeBudgetDoc;
    expect(programme).toEqual({
      kind: 'programme',
      years: [
        // 2021: forecast 120 000 € (M) + 10 000 € (C); committed 100 000 € (M); released and received 40 000 €; spent 10 000 €
        year(2021, {
          forecastOriginalCents: 13_000_000,
          forecastCurrentCents: 13_000_000,
          committedCents: 10_000_000,
          committedByFunder: { 'Banque des Territoires': 10_000_000 },
          releasedCents: 4_000_000,
          receivedCents: 4_000_000,
          spentCents: 1_000_000,
        }),
        // 2022: forecast 100 000 € (M) + 20 000 € revised in (C); released then reversed (C); spent then reversed (C)
        year(2022, {
          forecastOriginalCents: 10_000_000,
          forecastCurrentCents: 12_000_000,
          committedCents: 5_000_000,
          committedByFunder: { 'Banque des Territoires': 5_000_000 },
        }),
        // 2023: Chaumont's original 20 000 €, revised away
        year(2023, { forecastOriginalCents: 2_000_000, forecastCurrentCents: 0 }),
      ],
      totals: {
        forecastOriginalCents: 25_000_000,
        forecastCurrentCents: 25_000_000,
        committedCents: 15_000_000,
        committedByFunder: { 'Banque des Territoires': 15_000_000 },
        releasedCents: 4_000_000,
        receivedCents: 4_000_000,
        spentCents: 1_000_000,
      },
    });
    // Each antenna document holds only its own figures.
    expect((model.get('antenna:chaumont') as AntennaBudgetDoc).totals).toEqual({
      ...ZERO_FIGURES,
      forecastOriginalCents: 3_000_000,
      forecastCurrentCents: 3_000_000,
      committedCents: 5_000_000,
      committedByFunder: { 'Banque des Territoires': 5_000_000 },
    });
  });

  it('is pure: evolve returns a new document and leaves the one it was given untouched', () => {
    const model = project(budgetProjection, [opened(), forecastSet(FORECAST), spent('e1', 1_000, '2021-05-01')]);
    const before = model.get('antenna:montbeliard')!;
    const snapshot = structuredClone(before);
    deepFreeze(before);
    const next = budgetProjection.evolve(before, spendingReversed('e1', 1_000, '2021-05-01', '2021-06-01'), 'antenna:montbeliard') as AntennaBudgetDoc;
    expect(before).toEqual(snapshot);
    expect(next.totals.spentCents).toBe(0);
    const again = budgetProjection.evolve(before, spendingReversed('e1', 1_000, '2021-05-01', '2021-06-01'), 'antenna:montbeliard');
    expect(again).toEqual(next);
  });

  it('documents are plain JSON: integers of cents, strings, arrays, objects', () => {
    const model = project(budgetProjection, [opened(), forecastSet(FORECAST), committed('bdt', 'BdT', 1_000, '2021-06-01'), spent('e1', 1_000, '2021-05-01')]);
    for (const [, doc] of model.entries()) expect(JSON.parse(JSON.stringify(doc)) as BudgetDoc).toEqual(doc);
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
