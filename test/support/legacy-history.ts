import { schemaVersionOf } from '@jalon/domain';
import { EventStore } from '@jalon/event-store';
import { randomUUID } from 'node:crypto';
import { montbeliardOpened } from '../../libs/application/src/testing/montbeliard.fixture';

/**
 * A history as a version before decisions 0060 and 0062 recorded it: candidacies without their
 * registration on their call, agreements without their attachment to their antenna. Two calls (ami-1
 * closed, with one candidacy; ami-2 open, with two), two antennas (montbeliard open, vierzon
 * closed), one agreement each.
 */
const submission = (callId: string, territoryId: string, territoryName: string, effectiveDate: string) => ({
  candidacyId: `${callId}--${territoryId}`,
  programmeId: 'au-coeur-des-territoires',
  callId,
  territory: { id: territoryId, name: territoryName, kind: 'agglomeration', region: 'Bourgogne-Franche-Comté', actionCoeurDeVille: true },
  partners: [{ name: 'Cnam Bourgogne-Franche-Comté', kind: 'academic' }],
  trainingNeeds: ['Technologie hydrogène'],
  effectiveDate,
});
const commitment = (antennaId: string, agreementId: string, effectiveDate: string) => ({
  antennaId,
  agreementId,
  funder: 'Banque des Territoires',
  label: 'Enveloppe d’amorçage',
  amountCents: 10_000_000,
  tranches: [
    { trancheId: 'signature', amountCents: 4_000_000, dueOn: '2021-09-30' },
    { trancheId: 'balance', amountCents: 6_000_000, dueOn: '2022-09-30' },
  ],
  effectiveDate,
});
const call = (callId: string, number: number, opensOn: string, closesOn: string) => ({
  callId,
  programmeId: 'au-coeur-des-territoires',
  title: `Appel à manifestation d’intérêt n° ${number}`,
  number,
  opensOn,
  closesOn,
  criteria: ['Dynamique partenariale locale'],
  effectiveDate: opensOn,
});

/** Appends facts as an earlier version recorded them: no claim on the parent's stream. */
export async function legacyHistory(store: EventStore): Promise<void> {
  const append = (streamId: string, type: string, data: object) =>
    store.append(
      streamId,
      [{ id: randomUUID(), type, version: schemaVersionOf(type)!, data: data as Record<string, unknown>, metadata: { actor: 'pm-1', role: 'programme-manager', correlationId: 'c', causationId: 'c', recordedAt: '2021-01-01T09:00:00Z' } }],
      { expectedRevision: 'any' },
    );
  await append('call-ami-1', 'CallForApplicationsOpened', call('ami-1', 1, '2019-06-01', '2019-09-30'));
  await append('candidacy-ami-1--chaumont', 'CandidacySubmitted', submission('ami-1', 'chaumont', 'Chaumont', '2019-09-02'));
  await append('call-ami-1', 'CallForApplicationsClosed', { callId: 'ami-1', effectiveDate: '2019-09-30' });
  await append('call-ami-2', 'CallForApplicationsOpened', call('ami-2', 2, '2020-10-01', '2020-12-15'));
  await append('candidacy-ami-2--pays-de-montbeliard', 'CandidacySubmitted', submission('ami-2', 'pays-de-montbeliard', 'Pays de Montbéliard Agglomération', '2020-12-10'));
  await append('candidacy-ami-2--vierzon', 'CandidacySubmitted', submission('ami-2', 'vierzon', 'Vierzon', '2020-11-03'));
  await append('antenna-montbeliard', 'AntennaOpened', montbeliardOpened.data);
  await append('funding-bdt-seed', 'FundingCommitted', commitment('montbeliard', 'bdt-seed', '2021-07-01'));
  await append('antenna-vierzon', 'AntennaOpened', { ...montbeliardOpened.data, antennaId: 'vierzon', candidacyId: 'ami-2--vierzon', name: 'Cnam Vierzon', town: 'Vierzon' });
  await append('funding-bdt-vierzon', 'FundingCommitted', commitment('vierzon', 'bdt-vierzon', '2021-07-01'));
  await append('antenna-vierzon', 'AntennaClosed', { antennaId: 'vierzon', reason: 'Fin du projet', effectiveDate: '2023-06-30' });
}

