import { conflict, isBefore, IsoDate, ruleBroken } from '../shared';
import { OpenedAntennaState } from './antenna.state';

/** While suspended, an antenna takes on nothing new: no phase starts, no inauguration, no course. */
export function assertNotSuspended(state: OpenedAntennaState): void {
  if (state.status === 'suspended') {
    throw conflict('ANTENNA.SUSPENDED', `antenna ${state.opened.antennaId} is suspended since ${state.suspension.effectiveDate}`, {
      suspendedOn: state.suspension.effectiveDate,
    });
  }
}

/** What happens to an antenna in the world cannot predate its opening. */
export function assertNotBeforeOpening(state: OpenedAntennaState, effectiveDate: IsoDate): void {
  if (isBefore(effectiveDate, state.opened.effectiveDate)) {
    throw ruleBroken('ANTENNA.DATE_BEFORE_OPENING', `antenna ${state.opened.antennaId} was opened on ${state.opened.effectiveDate}`, {
      field: 'effectiveDate',
      openedOn: state.opened.effectiveDate,
    });
  }
}
