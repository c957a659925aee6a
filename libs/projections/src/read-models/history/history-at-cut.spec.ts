import { ProjectedEvent } from '../../projection';
import { cutFilter, EventCut } from '../../runner/event-cut';
import { project } from '../../testing/projection-specification';
import { historyAtCut, HistoryCutNotExactError } from './history-at-cut';
import { ACTOR_RUN_POINTS, factsOf, HistoryDocument, historyProjection } from './history.projection';

/**
 * The trail at a cut read from today's read model (docs/decisions/0024): every document seen
 * through a cut is the one a replay of the events inside the cut builds, or absent when the
 * replay has none. The history below has effective dates out of log order, recorded instants
 * that go back now and then, actors changing role and name (and events keeping no name), a phase
 * renamed, a candidacy claimed by its antenna.
 */

let position = 0n;
function event(type: string, data: Record<string, unknown>, streamId: string, revision: number, at: { recordedAt: string; actor: string; role: string; actorName?: string }): ProjectedEvent {
  position += 1n;
  const { recordedAt, actor, role, actorName } = at;
  return {
    type,
    version: 1,
    data,
    streamId,
    revision,
    position,
    metadata: { actor, role, ...(actorName !== undefined ? { actorName } : {}), correlationId: 'c', causationId: 'c', recordedAt },
  };
}

/** A small deterministic generator, so that the history is the same at every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function history(): ProjectedEvent[] {
  const random = seeded(15);
  const day = (offset: number): string => new Date(Date.UTC(2021, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
  let clock = Date.UTC(2021, 0, 1, 9);
  const people = [
    { actor: 'claire', names: ['Claire Martin', 'Claire Martin-Roux'], roles: ['programme-manager', 'admin'] },
    { actor: 'malik', names: ['Malik Benali'], roles: ['finance', 'finance', 'antenna-manager'] },
    { actor: 'import', names: [], roles: ['admin'] },
  ];
  const at = (index: number): { recordedAt: string; actor: string; role: string; actorName?: string } => {
    // Mostly forward, sometimes back a little (another process, an import).
    clock += random() < 0.15 ? -3_600_000 : Math.floor(random() * 86_400_000);
    const who = people[Math.floor(random() * people.length)]!;
    const stage = Math.min(Math.floor((index / 60) * who.roles.length), who.roles.length - 1);
    const name = who.names.length === 0 || random() < 0.2 ? undefined : who.names[Math.min(Math.floor((index / 60) * who.names.length), who.names.length - 1)];
    return { recordedAt: new Date(clock).toISOString(), actor: who.actor, role: who.roles[stage]!, ...(name !== undefined ? { actorName: name } : {}) };
  };
  const events: ProjectedEvent[] = [
    event('ProgrammeLaunched', { programmeId: 'acdt', name: 'Au cœur des territoires', effectiveDate: day(0) }, 'programme-acdt', 0, at(0)),
    event('CallForApplicationsOpened', { callId: 'ami-2', programmeId: 'acdt', title: 'Deuxième AMI', effectiveDate: day(3) }, 'call-ami-2', 0, at(1)),
    event('CandidacySubmitted', { candidacyId: 'c1', callId: 'ami-2', territory: { id: 't1', name: 'Montbéliard' }, effectiveDate: day(20) }, 'candidacy-c1', 0, at(2)),
    event('CandidacyAntennaAssigned', { candidacyId: 'c1', callId: 'ami-2', territoryId: 't1', antennaId: 'mbl', effectiveDate: day(40) }, 'candidacy-c1', 1, at(3)),
    event('AntennaOpened', { antennaId: 'mbl', candidacyId: 'c1', name: 'Cnam Montbéliard', territory: { id: 't1', name: 'Montbéliard' }, effectiveDate: day(40) }, 'antenna-mbl', 0, at(4)),
    event('PhasePlanned', { antennaId: 'mbl', phaseId: 'p1', name: 'Préfiguration', effectiveDate: day(60) }, 'antenna-mbl', 1, at(5)),
    event('FundingCommitted', { agreementId: 'bdt', antennaId: 'mbl', funder: 'Banque des Territoires', label: 'Amorçage', tranches: [{ trancheId: 't1' }], effectiveDate: day(50) }, 'funding-bdt', 0, at(6)),
  ];
  for (let index = 7; index < 60; index++) {
    // Effective dates out of log order: anywhere in the antenna's first year.
    const effectiveDate = day(40 + Math.floor(random() * 300));
    if (index === 30) events.push(event('PhasePlanned', { antennaId: 'mbl', phaseId: 'p1', name: 'Préfiguration renommée', effectiveDate }, 'antenna-mbl', 2, at(index)));
    else events.push(event('ExpenditureRecorded', { antennaId: 'mbl', expenditureId: `x${index}`, description: `Dépense ${index}`, effectiveDate }, 'budget-mbl', index, at(index)));
  }
  return events;
}

/** What a report reads of a document: facts of entries (recorders' order aside), names without what they keep for cuts. */
function readable(doc: HistoryDocument | undefined): unknown {
  if (doc === undefined || doc.kind === 'entries') return doc === undefined ? undefined : factsOf([doc]);
  const { sources: _sources, runs: _runs, ...state } = doc as HistoryDocument & { sources?: unknown; runs?: unknown };
  return state;
}

function cutsOf(events: readonly ProjectedEvent[]): EventCut[] {
  const cuts: EventCut[] = [{ asOf: '2020-12-31' }, { knownAt: '2020-12-31T00:00:00.000Z' }, { asOf: '2030-01-01' }];
  for (const e of events) {
    const asOf = String(e.data.effectiveDate);
    const knownAt = e.metadata.recordedAt;
    cuts.push({ asOf }, { knownAt }, { knownAt: new Date(Date.parse(knownAt) - 1).toISOString() }, { asOf, knownAt: events[events.length - 1 - Number(e.position % 40n)]!.metadata.recordedAt });
  }
  return cuts;
}

describe('the audit trail seen through a cut', () => {
  const events = history();
  const live = project(historyProjection, events);

  it('has what the rule below needs: effective dates and recorded instants out of log order', () => {
    const dates = events.map((e) => String(e.data.effectiveDate));
    const instants = events.map((e) => e.metadata.recordedAt);
    expect(dates.some((date, index) => index > 0 && date < dates[index - 1]!)).toBe(true);
    expect(instants.some((instant, index) => index > 0 && instant < instants[index - 1]!)).toBe(true);
  });

  it('rule: every document of today’s read model, seen through a cut, is the one a replay to that cut builds (absent when the replay has none)', () => {
    const keys = live.entries().map(([key]) => key);
    let compared = 0;
    for (const cut of cutsOf(events)) {
      const replayed = project(historyProjection, events.filter(cutFilter(cut)));
      const seen = historyAtCut(live, cut);
      for (const key of keys) {
        expect({ cut, key, doc: readable(seen.get(key)) }).toEqual({ cut, key, doc: readable(replayed.get(key)) });
        compared++;
      }
      for (const prefix of ['names:actor:', 'names:antenna:', 'antenna:', 'candidacy:', 'programme:', 'call:', 'journal:', 'journal-counts:', 'journal-summary:']) {
        expect({ cut, prefix, docs: seen.list(prefix).map(readable) }).toEqual({ cut, prefix, docs: replayed.list(prefix).map(readable) });
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('rule: an event applied again changes nothing of what a cut sees (replays stay idempotent)', () => {
    const again = project(historyProjection, [...events, ...events.slice(20, 40)]);
    expect(again.entries()).toEqual(live.entries());
  });

  it('rule: an actor whose runs outgrew what is kept is not guessed at a cut: reading them asks for a replay', () => {
    // Each event effective earlier than every one before it: none dominates another.
    const backdated = Array.from({ length: ACTOR_RUN_POINTS + 1 }, (_, index) =>
      event(
        'ExpenditureRecorded',
        { antennaId: 'mbl', expenditureId: `b${index}`, description: `Antidatée ${index}`, effectiveDate: new Date(Date.UTC(2022, 11, 31) - index * 86_400_000).toISOString().slice(0, 10) },
        'budget-mbl',
        100 + index,
        { recordedAt: `2023-01-01T00:00:${String(index).padStart(2, '0')}.000Z`, actor: 'lea', role: 'finance', actorName: 'Léa' },
      ),
    );
    const model = project(historyProjection, backdated);
    expect(() => historyAtCut(model, { asOf: '2022-12-15' }).get('names:actor:lea')).toThrow(HistoryCutNotExactError);
    expect(() => historyAtCut(model, { asOf: '2022-12-15' }).list('names:actor:')).toThrow(HistoryCutNotExactError);
    // One point fewer is still told exactly.
    const fewer = project(historyProjection, backdated.slice(0, ACTOR_RUN_POINTS));
    expect(historyAtCut(fewer, { asOf: '2022-12-15' }).get('names:actor:lea')).toEqual({ kind: 'actor', actor: 'lea', name: 'Léa', role: 'finance' });
    expect(historyAtCut(fewer, { asOf: '2022-11-01' }).get('names:actor:lea')).toBeUndefined();
  });
});
