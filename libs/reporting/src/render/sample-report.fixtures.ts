import type { Report } from '../report';

/** The Montbéliard budget, as a budget report builder might produce it; for renderer specs only. */
export function montbeliardBudgetReport(overrides: Partial<Report> = {}): Report {
  return {
    kind: 'budget',
    title: 'Budget de l’antenne de Montbéliard',
    parameters: {
      antennaId: 'montbeliard',
      asOf: '2022-06-22',
      knownAt: '2022-06-23T09:00:00Z',
      referenceDate: '2022-06-22',
    },
    tables: [
      {
        title: 'Budget par exercice',
        columns: [
          { key: 'year', label: 'Exercice', kind: 'text' },
          { key: 'forecast', label: 'Prévu', kind: 'money' },
          { key: 'spent', label: 'Réalisé', kind: 'money' },
          { key: 'rate', label: 'Taux de réalisation', kind: 'percent' },
          { key: 'hours', label: 'Heures stagiaires', kind: 'integer' },
          { key: 'votedOn', label: 'Voté le', kind: 'date' },
          { key: 'recordedAt', label: 'Enregistré le', kind: 'timestamp' },
        ],
        rows: [
          {
            year: '2021',
            forecast: 12_000_000,
            spent: 6_000_000,
            rate: 5000,
            hours: 59_000,
            votedOn: '2021-01-15',
            recordedAt: '2021-01-15T15:30:00Z',
          },
          {
            year: '2022',
            forecast: 78_600_000,
            spent: -123_450,
            rate: null,
            hours: 1200,
            votedOn: '2022-06-22',
            recordedAt: '2022-06-23T09:00:00Z',
          },
        ],
        totals: { year: 'Total', forecast: 90_600_000, spent: 5_876_550, rate: 649, hours: 60_200 },
      },
      {
        title: 'Conventions : financeurs [2022]',
        columns: [
          { key: 'funder', label: 'Financeur', kind: 'text' },
          { key: 'amount', label: 'Montant', kind: 'money' },
        ],
        rows: [
          { funder: 'Région Bourgogne-Franche-Comté', amount: 30_000_000 },
          { funder: '=HYPERLINK("http://example.com";"x")', amount: 5 },
          { funder: 'Pays de Montbéliard Agglomération; "PMA"\nsiège', amount: 100_000_000_000 },
        ],
      },
    ],
    notes: ['Le réalisé 2022 est négatif : un avoir a été reçu.'],
    data: { antennaId: 'montbeliard', forecastCents: 90_600_000 },
    ...overrides,
  };
}
