import { Upcaster } from '../shared';
import { LearnersReported } from './antenna.events';

/**
 * `LearnersReported` at version 1. A month's first report has no `previousLearners` at any
 * version; a correction has it when written after commit 41c8fe2 and lacks it before. A version 1
 * report without it is therefore read with its stream's history, which tells which it is.
 */
export type LearnersReportedV1Data = LearnersReported['data'];

/**
 * v1 → v2: a correction carries the count it corrects. The history is the count last reported for
 * the same month in the stream (undefined when none was: the report is the month's first).
 */
export const learnersReportedV1: Upcaster<'LearnersReported', LearnersReportedV1Data, LearnersReported['data'], number | undefined> = {
  type: 'LearnersReported',
  from: 1,
  needsHistory: (data) => data.previousLearners === undefined,
  upcast(data, previousLearners) {
    if (data.previousLearners !== undefined || previousLearners === undefined) return data;
    return { ...data, previousLearners };
  },
};
