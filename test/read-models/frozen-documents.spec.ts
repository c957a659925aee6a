import { InMemoryReadModel, PROJECTIONS, Projection, ProjectedEvent, ReadModels, ReadModelView, REPORT_BUILDERS } from '@jalon/projections';
import { REPORT_KINDS } from '@jalon/reporting';
import { demoEvents } from '../support/demo-history';

/**
 * Read-model documents are shared: storage keeps them parsed in memory and hands the same objects
 * to the runner (as the documents `evolve` starts from) and to every report (see DocumentCache).
 * So no `evolve` and no report builder may change a document it is given. Here every document is
 * frozen, deeply, before anyone sees it: a change would throw (modules run in strict mode).
 */

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const nested of Object.values(value)) deepFreeze(nested);
  }
  return value;
}

/** The projection, given only frozen documents. */
const givenFrozen = (projection: Projection): Projection => ({
  ...projection,
  evolve: (doc, event, key) => projection.evolve(deepFreeze(doc), event, key),
});

let events: ProjectedEvent[];
beforeAll(async () => {
  events = await demoEvents();
});

function replay(projections: readonly Projection[]): ReadModels {
  const models = projections.map((projection) => new InMemoryReadModel(projection));
  for (const event of events) for (const model of models) model.apply(event);
  return {
    view<Doc>(name: string): ReadModelView<Doc> {
      const model = models.find((m) => m.projection.name === name)!;
      const frozen = <T>(doc: T) => deepFreeze(doc);
      return { get: (key) => frozen(model.get(key)) as Doc | undefined, list: (prefix) => model.list(prefix).map(frozen) as Doc[] };
    },
  };
}

describe('shared read-model documents', () => {
  it('rule: evolve never changes the document it is given (every projection, over the demo history)', () => {
    const frozen = replay(PROJECTIONS.map(givenFrozen));
    const plain = replay(PROJECTIONS);
    for (const kind of REPORT_KINDS) {
      const parameters = { antennaId: 'montbeliard', referenceDate: '2026-01-15' };
      expect(REPORT_BUILDERS[kind](frozen, parameters)).toEqual(REPORT_BUILDERS[kind](plain, parameters));
    }
  });

  it('rule: no report builder changes the documents it reads (every report, for the programme and for an antenna)', () => {
    const models = replay(PROJECTIONS);
    for (const kind of REPORT_KINDS) {
      // The statement of expenditure is about one antenna's agreement: it has no programme-wide form.
      for (const antennaId of kind === 'etat-depenses' ? ['montbeliard'] : [undefined, 'montbeliard']) {
        const parameters = { ...(antennaId ? { antennaId } : {}), referenceDate: '2026-01-15' };
        expect(() => REPORT_BUILDERS[kind](models, parameters)).not.toThrow();
      }
    }
  });
});
