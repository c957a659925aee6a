import { IsoDate, Message } from '../shared';

export interface ProgrammeTargets {
  /** Number of antennas the programme aims to have opened… */
  readonly antennaCount: number;
  /** …by this date. */
  readonly targetDate: IsoDate;
}

export type ProgrammeLaunched = Message<
  'ProgrammeLaunched',
  {
    readonly programmeId: string;
    readonly name: string;
    readonly operator: string;
    readonly description?: string;
    readonly targets: ProgrammeTargets;
    readonly effectiveDate: IsoDate;
  }
>;

export type ProgrammeTargetsRevised = Message<
  'ProgrammeTargetsRevised',
  {
    readonly programmeId: string;
    readonly targets: ProgrammeTargets;
    readonly previousTargets: ProgrammeTargets;
    readonly reason: string;
    readonly effectiveDate: IsoDate;
  }
>;

export type ConventionSigned = Message<
  'ConventionSigned',
  {
    readonly programmeId: string;
    readonly conventionId: string;
    readonly title: string;
    readonly partners: readonly string[];
    readonly durationMonths: number;
    readonly effectiveDate: IsoDate;
  }
>;

export type ProgrammeEvent = ProgrammeLaunched | ProgrammeTargetsRevised | ConventionSigned;

/** Schema version of each programme event type's data (docs/decisions/0011); a type left out fails to compile. */
export const PROGRAMME_EVENT_VERSIONS = {
  ProgrammeLaunched: 1,
  ProgrammeTargetsRevised: 1,
  ConventionSigned: 1,
} as const satisfies Record<ProgrammeEvent['type'], number>;
