import type { ReadModels } from '../budget/report-helpers';
import { antennaClosings } from './antenna-closing';
import { PHASES_PROJECTION_NAME, PhasesDocument } from './phases.projection';

/** A phases read model that counts how it is read. */
function phasesModels(docs: readonly PhasesDocument[]) {
  const reads = { get: 0, list: 0 };
  const keyOf = (doc: PhasesDocument) => (doc.kind === 'antenna' ? `antenna:${doc.antennaId}` : `programme:${doc.programmeId}`);
  const models: ReadModels = {
    view: <Doc>(name: string) => {
      expect(name).toBe(PHASES_PROJECTION_NAME);
      return {
        get: (key: string) => {
          reads.get++;
          return docs.find((doc) => keyOf(doc) === key) as Doc | undefined;
        },
        list: (prefix: string) => {
          reads.list++;
          return docs.filter((doc) => keyOf(doc).startsWith(prefix)) as Doc[];
        },
      };
    },
  };
  return { models, reads };
}

const antenna = (antennaId: string, status: 'active' | 'suspended' | 'closed', statusSince: string) =>
  ({ kind: 'antenna', antennaId, status, statusSince }) as unknown as PhasesDocument;

describe('antennas’ closing dates, as the funding reports read them', () => {
  const docs = [antenna('a', 'active', '2022-01-10'), antenna('b', 'closed', '2024-06-30'), antenna('c', 'suspended', '2023-03-01'), { kind: 'programme', programmeId: 'p' } as unknown as PhasesDocument];

  it('rule: a whole-programme report reads the antennas’ documents as one list, not one by one, and finds each closing there', () => {
    const { models, reads } = phasesModels(docs);
    const closingOf = antennaClosings(models, undefined);
    expect(['a', 'b', 'c', 'unknown'].map(closingOf)).toEqual([null, '2024-06-30', null, null]);
    expect(reads).toEqual({ get: 0, list: 1 });
  });

  it('rule: one antenna’s report reads that antenna’s document alone', () => {
    const { models, reads } = phasesModels(docs);
    expect(antennaClosings(models, 'b')('b')).toBe('2024-06-30');
    expect(reads).toEqual({ get: 1, list: 0 });
  });

  it('rule: a closing committed since is seen at once (the closings are derived again for other documents)', () => {
    const closingOf = antennaClosings(phasesModels(docs).models, undefined);
    expect(closingOf('a')).toBeNull();
    const closedSince = docs.map((doc) => (doc.kind === 'antenna' && doc.antennaId === 'a' ? antenna('a', 'closed', '2026-01-05') : doc));
    expect(antennaClosings(phasesModels(closedSince).models, undefined)('a')).toBe('2026-01-05');
  });
});
