import { InMemoryReadModel, ProjectedEvent, ReadModelView } from '@jalon/projections';
import { AUDITED_EVENT_TYPES, renderReport, Report } from '@jalon/reporting';
import ExcelJS from 'exceljs';
import { historyProjection } from '../../libs/projections/src/read-models/history/history.projection';
import { buildHistoryReport, HistoryReportData } from '../../libs/projections/src/read-models/history/history.report';
import { demoEvents } from '../support/demo-history';

/**
 * The audit trail of the whole demo history, rendered in every format: no sentence, cell or
 * remark shows an ISO date or an internal id. The ids are not listed by hand: they are every
 * identifier the demo's events carry (fields named `…Id`, a territory's `id`, a user's id).
 */

const ISO_DATE = /\d{4}-\d{2}-\d{2}/;

let events: ProjectedEvent[];
let models: { view<Doc>(name: string): ReadModelView<Doc> };
let ids: string[];

beforeAll(async () => {
  events = await demoEvents();
  const model = new InMemoryReadModel(historyProjection);
  for (const event of events) model.apply(event);
  models = { view: <Doc>() => model as unknown as ReadModelView<Doc> };
  const found = new Set<string>();
  const collect = (value: unknown, key: string): void => {
    if (Array.isArray(value)) value.forEach((item) => collect(item, key));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, k);
    else if (typeof value === 'string' && (/Id$/.test(key) || key === 'id')) found.add(value);
  };
  for (const event of events) {
    if (!AUDITED_EVENT_TYPES.includes(event.type as never)) continue;
    collect(event.data, '');
    found.add(event.metadata.actor);
  }
  ids = [...found];
});

/** Does `text` show `id` as a word of its own (`tranche-3`, not the `montbeliard` inside `Montbéliard`)? */
function showsId(text: string, id: string): boolean {
  return new RegExp(`(^|[^\\p{L}\\p{N}-])${id}($|[^\\p{L}\\p{N}-])`, 'u').test(text);
}

function expectNoIdNorIsoDate(texts: readonly string[]): void {
  for (const text of texts) {
    expect(text).not.toMatch(ISO_DATE);
    for (const id of ids) if (showsId(text, id)) throw new Error(`« ${text} » shows the id ${id}`);
  }
}

describe('demo: the audit trail reads without ids nor ISO dates', () => {
  it('rule: the demo’s ids are found in its events (the check below is not empty)', () => {
    expect(ids).toEqual(expect.arrayContaining(['montbeliard', 'ami-2', 'bdt-amorcage-montbeliard', 'tranche-3', 'phase-2-portes-du-jura', 'demo-service-financier']));
  });

  it('rule: every sentence of the programme-wide trail names things by their names, with French dates', () => {
    const report = buildHistoryReport(models, { referenceDate: '2024-01-01' });
    const entries = (report.data as HistoryReportData).entries;
    // Every audited event of the demo is in the programme-wide trail.
    expect(entries).toHaveLength(events.filter((event) => AUDITED_EVENT_TYPES.includes(event.type as never)).length);
    expectNoIdNorIsoDate(entries.map((entry) => entry.changes));
    const sentences = entries.map((entry) => entry.changes);
    expect(sentences).toContain('Phase « Nouvelles formations sur le site de l’ancienne polyclinique des Portes du Jura » replanifiée : début 01/01/2023 → 01/03/2023');
    expect(sentences.filter((s) => s.startsWith('Tranche « Troisième tranche » versée par Banque des Territoires'))).toHaveLength(2);
  });

  it('rule: the rendered trail (table, CSV, XLSX, and the human text of JSON) shows no id and no ISO date, for the programme and for the antenna', async () => {
    const reports: Report[] = [buildHistoryReport(models, { referenceDate: '2024-01-01' }), buildHistoryReport(models, { antennaId: 'montbeliard', referenceDate: '2024-01-01' })];
    for (const report of reports) {
      expectNoIdNorIsoDate([(await renderReport(report, 'table')).toString(), (await renderReport(report, 'csv')).toString()]);

      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await renderReport(report, 'xlsx')) as unknown as ArrayBuffer);
      const cells: string[] = [];
      workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => void (typeof cell.value === 'string' ? cells.push(cell.value) : undefined))));
      expect(cells.length).toBeGreaterThan(0);
      expectNoIdNorIsoDate(cells);

      // JSON: its data keeps ids and ISO dates for machines; its human text does not.
      const json = JSON.parse((await renderReport(report, 'json')).toString());
      const textColumns = ['actor', 'role', 'subject', 'event', 'reason', 'changes'];
      expectNoIdNorIsoDate([
        json.title,
        ...json.notes,
        ...json.tables.flatMap((table: { rows: Record<string, unknown>[] }) => table.rows.flatMap((row) => textColumns.map((key) => row[key]).filter((v): v is string => typeof v === 'string'))),
        ...json.data.entries.map((entry: { changes: string }) => entry.changes),
      ]);
    }
  });
});
