import { UnreadableEventError } from '@jalon/event-store';
import { ProjectionRunner, ProjectionStorageError } from '@jalon/projections';
import { formatInteger } from '@jalon/reporting';
import { ReadModelUnavailableError } from '../errors';

/**
 * Reads today's state of a read model, only if it can give it: a stopped projection answers
 * READ_MODEL.UNAVAILABLE; one that had to pass over an unreadable event names it
 * (EVENT_STORE.UNREADABLE_EVENT), as a replay over it would: its figures would be wrong. Every
 * live read goes through here (reports, and the query models of @jalon/queries), so that the API
 * and the dashboard answer a stopped projection the same way.
 */
export function fromLiveReadModel<T>(runner: Pick<ProjectionRunner, 'unavailability'>, projection: string, read: () => T): T {
  const problem = runner.unavailability(projection);
  if (problem?.kind === 'stopped') throw new ReadModelUnavailableError(projection, problem.failure.reason, problem.failure.since, problem.failure.nextRetryAt);
  if (problem?.kind === 'rebuilding') {
    throw new ReadModelUnavailableError(
      projection,
      problem.because?.reason ?? 'elle est reconstruite depuis le premier événement, l’événement illisible qu’elle avait dû ignorer étant de nouveau lisible',
    );
  }
  if (problem?.kind === 'checking') throw new ReadModelUnavailableError(projection, 'son point de reprise n’a pas encore pu être vérifié auprès du magasin d’événements');
  if (problem?.kind === 'building') {
    const reached = problem.head === undefined ? `position ${formatInteger(Number(problem.position))} atteinte` : `position ${formatInteger(Number(problem.position))} sur ${formatInteger(Number(problem.head))}`;
    throw new ReadModelUnavailableError(projection, `elle est construite depuis le premier événement et n’a pas encore rattrapé le journal (${reached}) : ses chiffres seraient partiels`);
  }
  if (problem?.kind === 'incomplete') throw new UnreadableEventError({ unreadable: true, ...problem.skipped[0]! });
  try {
    return read();
  } catch (error) {
    if (error instanceof ProjectionStorageError) throw new ReadModelUnavailableError(projection, error.message);
    throw error;
  }
}
