import { IsoDate, Message, streamIdOf } from '../shared';

/**
 * The installation's programme registry: one fixed stream, `installation-programme`, that names the
 * one programme this installation of Jalon follows (docs/decisions/0061). Its own category, not an id
 * under `programme-`: every slug is a programme id a client may choose, and every reader of
 * `programme-` streams takes one for a programme.
 */
export const PROGRAMME_REGISTRY_STREAM = streamIdOf('installation', 'programme');

/**
 * The installation follows this programme: the first step of its launch, written before
 * `ProgrammeLaunched` (docs/decisions/0061). No projection reads it: the launch is the fact reports
 * show; this one only makes a second programme's launch refusable.
 */
export type ProgrammeClaimed = Message<
  'ProgrammeClaimed',
  {
    readonly programmeId: string;
    /** The programme's name when claimed, to name it to whoever tries to launch another. */
    readonly name: string;
    /** The launch's effective date. */
    readonly effectiveDate: IsoDate;
  }
>;

export type ProgrammeRegistryEvent = ProgrammeClaimed;

/** Schema version of each registry event type's data (docs/decisions/0011); a type left out fails to compile. */
export const PROGRAMME_REGISTRY_EVENT_VERSIONS = {
  ProgrammeClaimed: 1,
} as const satisfies Record<ProgrammeRegistryEvent['type'], number>;
