import { AntennaOpened } from '@jalon/domain';

/** The Montbéliard antenna as opened, for specs whose commands look the antenna up (budget, funding). */
export const montbeliardOpened: AntennaOpened = {
  type: 'AntennaOpened',
  data: {
    antennaId: 'montbeliard',
    candidacyId: 'ami-2--pays-de-montbeliard',
    callId: 'ami-2',
    programmeId: 'au-coeur-des-territoires',
    name: 'Cnam Pays de Montbéliard',
    town: 'Montbéliard',
    territory: { id: 'pays-de-montbeliard', name: 'Pays de Montbéliard Agglomération', region: 'Bourgogne-Franche-Comté', actionCoeurDeVille: true },
    effectiveDate: '2021-01-11',
  },
};
