/** The programme the suites launch first: the body of `POST /api/programmes` (the LaunchProgramme input). */
export const PROGRAMME_LAUNCH = {
  programmeId: 'au-coeur-des-territoires',
  name: 'Au cœur des territoires',
  operator: 'Cnam',
  targets: { antennaCount: 100, targetDate: '2022-12-31' },
  effectiveDate: '2019-01-15',
};
