import { timeOrderedIds } from '@jalon/application';
import { BUDGET_CATEGORIES } from '@jalon/domain';
import { EventToAppend } from '@jalon/event-store';
import { randomUUID } from 'node:crypto';
import { EXPENDITURE_LABELS } from '../generator/vocabulary';
import { Rng } from './rng';

/** What the write measurements send: expenditures, the most frequent command of a real programme. */

/** Today in UTC: never after today in Europe/Paris, so never "in the future" for the domain. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A tag unique to this run, so that ids never collide with an earlier run on a kept store. */
export const RUN_TAG = Date.now().toString(36);

let instances = 0;

export class ExpenditureInputs {
  private count = 0;
  private readonly rng: Rng;
  private readonly today = todayUtc();
  /** Several sections write to the same store: each source of inputs has its own ids. */
  private readonly prefix = `bench-${RUN_TAG}-${++instances}`;

  constructor(seed: string) {
    this.rng = new Rng(`${seed}:writes`);
  }

  /** The input of a RecordExpenditure command (route parameter `antennaId` included). */
  next(antennaId: string): Record<string, unknown> {
    const category = this.rng.pick(BUDGET_CATEGORIES);
    const n = ++this.count;
    return {
      antennaId,
      expenditureId: `${this.prefix}-${n}`,
      category,
      amountCents: this.rng.logInt(5_000, 2_000_000),
      description: `${this.rng.pick(EXPENDITURE_LABELS[category])} (facture de test ${this.prefix}-${n})`,
      effectiveDate: this.today,
    };
  }

  pickAntenna(antennaIds: readonly string[]): string {
    return this.rng.pick(antennaIds);
  }
}

/** An event shaped like what the command path appends for an expenditure (for the raw store), with an id from the same generator. */
export function expenditureEvent(inputs: ExpenditureInputs, antennaId: string): EventToAppend {
  return {
    id: timeOrderedIds.uuid(),
    type: 'ExpenditureRecorded',
    version: 1,
    data: inputs.next(antennaId),
    metadata: {
      actor: 'bench-finance',
      actorName: 'Service financier (banc d’essai)',
      role: 'finance',
      correlationId: randomUUID(),
      causationId: randomUUID(),
      recordedAt: new Date().toISOString(),
    },
  };
}
