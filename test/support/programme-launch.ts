/** The programme the suites launch first: the body of `POST /api/programmes` (the LaunchProgramme input). */
export const PROGRAMME_LAUNCH = {
  programmeId: 'au-coeur-des-territoires',
  name: 'Au cœur des territoires',
  operator: 'Cnam',
  targets: { antennaCount: 100, targetDate: '2022-12-31' },
  effectiveDate: '2019-01-15',
};

/** A convention signed under the programme `programmeId` (the SignConvention input): the command the command-path suites repeat on one stream. */
export const conventionOf = (conventionId: string, programmeId = 'acdt') => ({
  programmeId,
  conventionId,
  title: `Convention ${conventionId}`,
  partners: ['Cnam'],
  durationMonths: 36,
  effectiveDate: '2019-04-01',
});
