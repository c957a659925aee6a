import {
  assertAntennaAcceptsCommands,
  assertNotBeforeAntennaOpening,
  assertNever,
  assertPositiveCents,
  Cents,
  conflict,
  Decider,
  digestOf,
  DomainErrorCode,
  FundingAgreementView,
  isAfter,
  isBefore,
  IsoDate,
  notFound,
  ruleBroken,
  sameData,
  sumCents,
  VersionedMap,
} from '../shared';
import { AttachedDocuments, decideAttachment, withDocument } from '../documents/document.decide';
import { AttachBudgetDocument, BudgetCommand, BudgetLineInput, RecordExpenditure } from './budget.commands';
import {
  BUDGET_CATEGORIES,
  BudgetCategory,
  BudgetEvent,
  BudgetLine,
  ExpenditureRecorded,
  ExpenditureReversed,
  isBudgetCategory,
} from './budget.events';

export const BUDGET_FIRST_YEAR = 2000;
export const BUDGET_LAST_YEAR = 2100;

export interface BudgetForecast {
  readonly lines: readonly BudgetLine[];
  readonly totalCents: Cents;
  readonly effectiveDate: IsoDate;
}

/**
 * What the decider keeps of a recorded expenditure: what a reversal copies and a document's date
 * is checked against, and a digest of the rest, which a repeat is only ever compared with (the
 * description above all: docs/decisions/0048). One per expenditure of every cached budget.
 */
export interface ExpenditureEntry {
  readonly category: BudgetCategory;
  readonly amountCents: Cents;
  readonly fundingAgreementId?: string;
  readonly effectiveDate: IsoDate;
  /** {@link digestOf} the recorded data but for the four fields above (antenna, id, description, supplier, invoice number). */
  readonly detailsDigest: number;
  /** Present once reversed, as recorded (reversals are few and carry no description). */
  readonly reversed?: ExpenditureReversed['data'];
}

/** The entry kept for `data`. */
export function expenditureEntryOf(data: ExpenditureRecorded['data']): ExpenditureEntry {
  const { category, amountCents, fundingAgreementId, effectiveDate, ...details } = data;
  return {
    category,
    amountCents,
    ...(fundingAgreementId === undefined ? {} : { fundingAgreementId }),
    effectiveDate,
    detailsDigest: digestOf(details),
  };
}

/** Whether `data` records again the expenditure of `entry`, with the same details. */
function recordsAgain(entry: ExpenditureEntry, data: ExpenditureRecorded['data']): boolean {
  const again = expenditureEntryOf(data);
  return (
    again.category === entry.category &&
    again.amountCents === entry.amountCents &&
    again.fundingAgreementId === entry.fundingAgreementId &&
    again.effectiveDate === entry.effectiveDate &&
    again.detailsDigest === entry.detailsDigest
  );
}

export type BudgetState =
  | { readonly status: 'no-forecast' }
  | {
      readonly status: 'forecast-set';
      readonly antennaId: string;
      /** The forecast as first set: reports show original and current side by side. */
      readonly original: BudgetForecast;
      readonly current: BudgetForecast;
      /** 0 until the first revision. */
      readonly revision: number;
      /** Every expenditure by id. A `VersionedMap`, so that recording one does not copy all the others. */
      readonly expenditures: VersionedMap<string, ExpenditureEntry>;
      /** The effective date of each revision: index 0 holds revision 1's. */
      readonly revisionsOn: readonly IsoDate[];
      /** Documents attached to the budget's expenditures and revisions. */
      readonly documents: AttachedDocuments;
    };

export const initialBudgetState = (): BudgetState => ({ status: 'no-forecast' });

/**
 * The latest effective date of the budget's facts: its forecast and revisions, its expenditures and
 * their reversals. What closes after them cannot be dated before it: a closed antenna accepts
 * nothing, so its closing before a recorded fact would contradict it. With `agreementId`: only the
 * expenditures charged to that agreement, not their reversals (a closed agreement is charged
 * nothing more, but what was charged to it may still be reversed, as the budget's own rule allows).
 * Undefined when there is none.
 */
export function latestBudgetFactOn(state: BudgetState, agreementId?: string): IsoDate | undefined {
  if (state.status === 'no-forecast') return undefined;
  let latest: IsoDate | undefined;
  const see = (date: IsoDate | undefined) => {
    if (date !== undefined && (latest === undefined || isAfter(date, latest))) latest = date;
  };
  if (agreementId === undefined) {
    see(state.original.effectiveDate);
    for (const date of state.revisionsOn) see(date);
  }
  for (const [, entry] of state.expenditures) {
    if (agreementId !== undefined && entry.fundingAgreementId !== agreementId) continue;
    see(entry.effectiveDate);
    if (agreementId === undefined) see(entry.reversed?.effectiveDate);
  }
  return latest;
}

export function decideBudget(command: BudgetCommand, state: BudgetState): BudgetEvent[] {
  assertAntennaAcceptsCommands(command.context.antenna, command.data.antennaId);
  switch (command.type) {
    case 'SetBudgetForecast': {
      const { antennaId, effectiveDate } = command.data;
      const lines = validLines(command.data.lines);
      if (state.status === 'forecast-set') {
        if (sameLines(state.original.lines, lines)) return [];
        throw conflict('BUDGET.FORECAST_ALREADY_SET', `the budget forecast of antenna ${antennaId} is already set: revise it instead`, {
          field: 'lines',
        });
      }
      assertNotBeforeAntennaOpening(command.context.antenna, effectiveDate);
      return [{ type: 'BudgetForecastSet', data: { antennaId, lines, totalCents: totalOf(lines), effectiveDate } }];
    }
    case 'ReviseBudgetForecast': {
      const { antennaId, reason, effectiveDate } = command.data;
      const forecast = requireForecast(state, antennaId);
      const lines = validLines(command.data.lines);
      // A restatement of the current forecast is a repeat (or a revision with nothing to revise).
      if (sameLines(forecast.current.lines, lines)) return [];
      assertReason(reason, 'BUDGET.REVISION_REASON_REQUIRED', 'a budget revision gives a reason');
      if (isBefore(effectiveDate, forecast.original.effectiveDate)) {
        throw ruleBroken('BUDGET.REVISED_BEFORE_FORECAST', 'a forecast cannot be revised before it was set', {
          field: 'effectiveDate',
          effectiveDate,
          forecastSetOn: forecast.original.effectiveDate,
        });
      }
      // The forecast in force is the latest revision's: a revision dated before it would be silently outranked.
      if (isBefore(effectiveDate, forecast.current.effectiveDate)) {
        throw ruleBroken(
          'BUDGET.REVISED_BEFORE_LAST_REVISION',
          `une révision (${effectiveDate}) ne peut pas précéder la révision en vigueur (n° ${forecast.revision}, du ${forecast.current.effectiveDate})`,
          { field: 'effectiveDate', effectiveDate, lastRevisedOn: forecast.current.effectiveDate },
        );
      }
      return [
        {
          type: 'BudgetForecastRevised',
          data: {
            antennaId,
            revision: forecast.revision + 1,
            lines,
            totalCents: totalOf(lines),
            previousTotalCents: forecast.current.totalCents,
            previousLines: sortLines(forecast.current.lines),
            reason,
            effectiveDate,
          },
        },
      ];
    }
    case 'RecordExpenditure': {
      const forecast = requireForecast(state, command.data.antennaId);
      const { category, ...rest } = command.data;
      if (!isBudgetCategory(category)) {
        throw ruleBroken('BUDGET.UNKNOWN_CATEGORY', `unknown budget category "${category}"`, { field: 'category', value: category });
      }
      assertPositiveCents(command.data.amountCents, 'amountCents');
      const data: ExpenditureRecorded['data'] = { ...rest, category };
      const existing = forecast.expenditures.get(data.expenditureId);
      if (existing) {
        // A repeat is recognised even after a reversal: re-recording spent money needs a new id.
        if (recordsAgain(existing, data)) return [];
        throw conflict('EXPENDITURE.ALREADY_RECORDED', `expenditure ${data.expenditureId} was already recorded with other details`, {
          field: 'expenditureId',
        });
      }
      assertNotBeforeAntennaOpening(command.context.antenna, data.effectiveDate);
      if (data.fundingAgreementId !== undefined) assertChargeable(command, data.fundingAgreementId);
      return [{ type: 'ExpenditureRecorded', data }];
    }
    case 'ReverseExpenditure': {
      const { antennaId, expenditureId, reason, effectiveDate } = command.data;
      const forecast = requireForecast(state, antennaId);
      const existing = forecast.expenditures.get(expenditureId);
      if (!existing) {
        throw notFound('EXPENDITURE.NOT_FOUND', `expenditure ${expenditureId} has not been recorded`, { field: 'expenditureId' });
      }
      if (existing.reversed) {
        // The same reversal again changes nothing; another one (other reason or date) contradicts it.
        if (existing.reversed.reason === reason && existing.reversed.effectiveDate === effectiveDate) return [];
        throw conflict(
          'EXPENDITURE.ALREADY_REVERSED',
          `la dépense ${expenditureId} a déjà été annulée le ${existing.reversed.effectiveDate}, pour un autre motif ou à une autre date`,
          { field: 'expenditureId', reversedOn: existing.reversed.effectiveDate },
        );
      }
      assertReason(reason, 'EXPENDITURE.REVERSAL_REASON_REQUIRED', 'reversing an expenditure gives a reason');
      if (isBefore(effectiveDate, existing.effectiveDate)) {
        throw ruleBroken('EXPENDITURE.REVERSED_BEFORE_RECORDED', 'an expenditure cannot be reversed before it was recorded', {
          field: 'effectiveDate',
          effectiveDate,
          recordedOn: existing.effectiveDate,
        });
      }
      return [
        {
          type: 'ExpenditureReversed',
          data: {
            antennaId,
            expenditureId,
            amountCents: existing.amountCents,
            category: existing.category,
            expenditureDate: existing.effectiveDate,
            ...(typeof existing.fundingAgreementId === 'string' ? { fundingAgreementId: existing.fundingAgreementId } : {}),
            reason,
            effectiveDate,
          },
        },
      ];
    }
    case 'AttachBudgetDocument':
      return decideBudgetDocument(command, state);
    default:
      return assertNever(command);
  }
}

/** A document is attached to an expenditure or a revision that was recorded, not before it took effect. */
function decideBudgetDocument(command: AttachBudgetDocument, state: BudgetState): BudgetEvent[] {
  const { antennaId, subject } = command.data;
  const forecast = requireForecast(state, antennaId);
  let subjectOn: IsoDate;
  if (subject.kind === 'expenditure') {
    const entry = forecast.expenditures.get(subject.expenditureId);
    if (!entry) {
      throw notFound('EXPENDITURE.NOT_FOUND', `expenditure ${subject.expenditureId} has not been recorded`, { field: 'subject.expenditureId' });
    }
    subjectOn = entry.effectiveDate;
  } else {
    const revisedOn = Number.isInteger(subject.revision) && subject.revision >= 1 ? forecast.revisionsOn[subject.revision - 1] : undefined;
    if (revisedOn === undefined) {
      throw notFound('DOCUMENT.SUBJECT_NOT_FOUND', `the budget of antenna ${antennaId} has no revision ${subject.revision}`, {
        field: 'subject.revision',
        revisions: forecast.revision,
      });
    }
    subjectOn = revisedOn;
  }
  return decideAttachment(forecast.documents, command.data, subjectOn);
}

export function evolveBudget(state: BudgetState, event: BudgetEvent): BudgetState {
  switch (event.type) {
    case 'BudgetForecastSet': {
      const forecast: BudgetForecast = {
        lines: event.data.lines,
        totalCents: event.data.totalCents,
        effectiveDate: event.data.effectiveDate,
      };
      return {
        status: 'forecast-set',
        antennaId: event.data.antennaId,
        original: forecast,
        current: forecast,
        revision: 0,
        expenditures: VersionedMap.empty(),
        revisionsOn: [],
        documents: VersionedMap.empty(),
      };
    }
    case 'BudgetForecastRevised':
      return state.status === 'forecast-set'
        ? {
            ...state,
            revision: event.data.revision,
            revisionsOn: withRevisionDate(state.revisionsOn, event.data.revision, event.data.effectiveDate),
            current: { lines: event.data.lines, totalCents: event.data.totalCents, effectiveDate: event.data.effectiveDate },
          }
        : state;
    case 'ExpenditureRecorded':
      return state.status === 'forecast-set'
        ? { ...state, expenditures: state.expenditures.set(event.data.expenditureId, expenditureEntryOf(event.data)) }
        : state;
    case 'ExpenditureReversed': {
      if (state.status !== 'forecast-set') return state;
      const entry = state.expenditures.get(event.data.expenditureId);
      if (!entry) return state;
      return { ...state, expenditures: state.expenditures.set(event.data.expenditureId, { ...entry, reversed: event.data }) };
    }
    case 'DocumentAttached':
      return state.status === 'forecast-set' ? { ...state, documents: withDocument(state.documents, event.data) } : state;
    default:
      return assertNever(event);
  }
}

export const budgetDecider: Decider<BudgetCommand, BudgetEvent, BudgetState> = {
  decide: decideBudget,
  evolve: evolveBudget,
  initialState: initialBudgetState,
};

/**
 * An expenditure charged to a funding agreement names one that was committed to the same
 * antenna, is dated on or after the commitment, and not after the agreement was closed: otherwise
 * it counts as spent in the budget and nowhere in the funding reconciliation.
 */
function assertChargeable({ data, context }: RecordExpenditure, agreementId: string): void {
  const agreement: FundingAgreementView | undefined = context.fundingAgreement;
  if (agreement === undefined || agreement.agreementId !== agreementId) {
    // The application did not load the agreement the command names: a wiring fault, not a rule.
    throw new Error(`funding agreement view ${agreement?.agreementId ?? '(none)'} given for an expenditure charged to ${agreementId}`);
  }
  if (agreement.status === 'not-committed' || agreement.antennaId !== data.antennaId) {
    throw notFound('FUNDING.NOT_FOUND', `l’antenne ${data.antennaId} n’a pas d’accord de financement ${agreementId}`, {
      field: 'fundingAgreementId',
      fundingAgreementId: agreementId,
    });
  }
  if (agreement.committedOn !== undefined && isBefore(data.effectiveDate, agreement.committedOn)) {
    throw ruleBroken(
      'EXPENDITURE.BEFORE_FUNDING_COMMITMENT',
      `une dépense imputée à l’accord ${agreementId} ne peut pas précéder son engagement (${agreement.committedOn})`,
      { field: 'effectiveDate', committedOn: agreement.committedOn },
    );
  }
  if (agreement.status === 'closed' && agreement.closedOn !== undefined && isAfter(data.effectiveDate, agreement.closedOn)) {
    throw conflict('FUNDING.CLOSED', `l’accord ${agreementId} est clos depuis le ${agreement.closedOn} : aucune dépense postérieure ne peut lui être imputée`, {
      field: 'fundingAgreementId',
      closedOn: agreement.closedOn,
    });
  }
}

function withRevisionDate(dates: readonly IsoDate[], revision: number, on: IsoDate): readonly IsoDate[] {
  if (!Number.isInteger(revision) || revision < 1) return dates;
  const next = [...dates];
  next[revision - 1] = on;
  return next;
}

function requireForecast(state: BudgetState, antennaId: string) {
  if (state.status !== 'forecast-set' || state.antennaId !== antennaId) {
    throw notFound('BUDGET.FORECAST_NOT_SET', `antenna ${antennaId} has no budget forecast yet`);
  }
  return state;
}

/** Checks every line and returns them in a canonical order (year, then category), so that equal forecasts compare equal. */
function validLines(lines: readonly BudgetLineInput[]): BudgetLine[] {
  if (!Array.isArray(lines) || lines.length === 0) {
    throw ruleBroken('BUDGET.EMPTY_FORECAST', 'a budget forecast has at least one line', { field: 'lines' });
  }
  const seen = new Set<string>();
  const checked = lines.map((line: BudgetLineInput, index: number): BudgetLine => {
    const field = `lines[${index}]`;
    if (!Number.isInteger(line.year) || line.year < BUDGET_FIRST_YEAR || line.year > BUDGET_LAST_YEAR) {
      throw ruleBroken('BUDGET.INVALID_YEAR', `a forecast year is a whole year between ${BUDGET_FIRST_YEAR} and ${BUDGET_LAST_YEAR}`, {
        field: `${field}.year`,
        value: line.year,
      });
    }
    if (!isBudgetCategory(line.category)) {
      throw ruleBroken('BUDGET.UNKNOWN_CATEGORY', `unknown budget category "${line.category}"`, {
        field: `${field}.category`,
        value: line.category,
      });
    }
    assertPositiveCents(line.amountCents, `${field}.amountCents`);
    const key = `${line.year}/${line.category}`;
    if (seen.has(key)) {
      throw ruleBroken('BUDGET.DUPLICATE_LINE', `the forecast has two lines for ${line.category} in ${line.year}`, {
        field,
        year: line.year,
        category: line.category,
      });
    }
    seen.add(key);
    return { year: line.year, category: line.category, amountCents: line.amountCents };
  });
  return sortLines(checked);
}

function sortLines(lines: readonly BudgetLine[]): BudgetLine[] {
  return [...lines].sort(
    (a, b) => a.year - b.year || BUDGET_CATEGORIES.indexOf(a.category) - BUDGET_CATEGORIES.indexOf(b.category),
  );
}

function sameLines(a: readonly BudgetLine[], b: readonly BudgetLine[]): boolean {
  return sameData(sortLines(a), sortLines(b));
}

function totalOf(lines: readonly BudgetLine[]): Cents {
  return sumCents(lines.map((line) => line.amountCents));
}

function assertReason(reason: unknown, code: DomainErrorCode, message: string): void {
  if (typeof reason !== 'string' || reason.trim() === '') throw ruleBroken(code, message, { field: 'reason' });
}
