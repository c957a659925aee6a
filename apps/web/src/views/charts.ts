import { dayNumber, firstDayOfYear, yearOf } from '@jalon/domain';
import { formatDate, formatEuros, formatInteger, formatWholeEuros, lowerFirst, PHASE_STATUS_LABELS } from '@jalon/reporting';
import { COLOURS } from '../assets/jalon-css';
import { html, raw, SafeHtml } from '../html';

/**
 * Charts drawn on the server as inline SVG: no script, readable without colour (rows are labelled,
 * series differ by texture too), with a title and a text description for screen readers; the
 * tables next to them give every figure. Coordinates are computed in floating point (pixels);
 * amounts shown as text always come from integer cents.
 */

const WIDTH = 960;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, DejaVu Sans, sans-serif"';

function yearStart(year: number): number {
  return dayNumber(firstDayOfYear(year));
}

export interface GanttPhase {
  readonly name: string;
  readonly originalPlannedStart: string;
  readonly originalPlannedEnd: string;
  readonly plannedStart: string;
  readonly plannedEnd: string;
  readonly actualStart: string | null;
  readonly actualEnd: string | null;
  /** Started and never completed, its antenna closed on this date: the phase stopped there (not « en cours »). */
  readonly interruptedOn?: string | null;
  readonly milestones: readonly { readonly name: string; readonly reachedOn: string }[];
}

export interface GanttInput {
  readonly id: string;
  readonly title: string;
  readonly phases: readonly GanttPhase[];
  /** The day the chart is drawn for (today, or the "as of" date). */
  readonly referenceDate: string;
  readonly referenceLabel: string;
  readonly inauguratedOn?: string | null;
}

/** Phases as a Gantt chart: for each, the original plan, the plan in force and what happened. */
export function ganttChart(input: GanttInput): SafeHtml {
  const { phases, referenceDate } = input;
  const dates = phases.flatMap((phase) => [
    phase.originalPlannedStart,
    phase.originalPlannedEnd,
    phase.plannedStart,
    phase.plannedEnd,
    ...(phase.actualStart ? [phase.actualStart] : []),
    ...(phase.actualEnd ? [phase.actualEnd] : []),
  ]);
  dates.push(referenceDate);
  const years = dates.map(yearOf);
  const firstYear = Math.min(...years);
  const lastYear = Math.max(...years);
  const start = yearStart(firstYear);
  const end = yearStart(lastYear + 1);

  const labelWidth = 110;
  const left = labelWidth + 10;
  const right = WIDTH - 16;
  const top = 62;
  const barHeight = 16;
  const rowGap = 6;
  const phaseHeight = 24 + 3 * (barHeight + rowGap) + 16;
  const legendTop = top + phases.length * phaseHeight + 8;
  const height = legendTop + 36;
  const x = (iso: string, inclusiveEnd = false) => left + ((dayNumber(iso) + (inclusiveEnd ? 1 : 0) - start) / (end - start)) * (right - left);
  const idOf = (suffix: string) => `${input.id}-${suffix}`;

  const yearTicks = [];
  for (let year = firstYear; year <= lastYear + 1; year++) {
    const position = left + ((yearStart(year) - start) / (end - start)) * (right - left);
    yearTicks.push(html`<line x1="${position.toFixed(1)}" y1="${top - 8}" x2="${position.toFixed(1)}" y2="${legendTop - 8}" stroke="${COLOURS.rule}" stroke-width="1"/>`);
    if (year <= lastYear) {
      const next = left + ((yearStart(year + 1) - start) / (end - start)) * (right - left);
      yearTicks.push(html`<text x="${((position + next) / 2).toFixed(1)}" y="${top - 16}" text-anchor="middle" font-size="14" font-weight="600" fill="${COLOURS.text}">${year}</text>`);
    }
  }

  const rows = phases.map((phase, index) => {
    const y0 = top + index * phaseHeight;
    const rowY = (row: number) => y0 + 24 + row * (barHeight + rowGap);
    const bar = (row: number, from: string, to: string, fill: string, extra: SafeHtml | string, tip: string) => {
      const x1 = x(from);
      const x2 = Math.max(x(to, true), x1 + 2);
      return html`<rect x="${x1.toFixed(1)}" y="${rowY(row)}" width="${(x2 - x1).toFixed(1)}" height="${barHeight}" fill="${fill}" ${extra}><title>${tip}</title></rect>`;
    };
    const label = (row: number, text: string) =>
      html`<text x="${labelWidth}" y="${rowY(row) + barHeight - 3}" text-anchor="end" font-size="13" fill="${COLOURS.muted}">${text}</text>`;
    const actual = phase.actualStart
      ? phase.actualEnd
        ? bar(2, phase.actualStart, phase.actualEnd, COLOURS.actual, '', `Réalisé : du ${formatDate(phase.actualStart)} au ${formatDate(phase.actualEnd)}`)
        : phase.interruptedOn
          ? bar(2, phase.actualStart, phase.interruptedOn, COLOURS.actual, html`stroke="${COLOURS.error}" stroke-width="2" stroke-dasharray="4 2"`, interruptedText(phase.actualStart, phase.interruptedOn))
          : bar(2, phase.actualStart, referenceDate, `url(#${idOf('en-cours')})`, html`stroke="${COLOURS.actual}" stroke-width="2"`, `En cours depuis le ${formatDate(phase.actualStart)}`)
      : html`<text x="${left + 4}" y="${rowY(2) + barHeight - 3}" font-size="13" fill="${COLOURS.muted}" font-style="italic">pas encore commencée</text>`;
    const milestones = phase.milestones.map((milestone) => {
      const cx = x(milestone.reachedOn);
      const cy = rowY(2) + barHeight / 2;
      return html`<path d="M ${cx.toFixed(1)} ${cy - 8} L ${(cx + 7).toFixed(1)} ${cy} L ${cx.toFixed(1)} ${cy + 8} L ${(cx - 7).toFixed(1)} ${cy} Z" fill="#ffffff" stroke="${COLOURS.text}" stroke-width="2"><title>Jalon atteint le ${formatDate(milestone.reachedOn)} : ${milestone.name}</title></path>`;
    });
    const rescheduled = phase.originalPlannedStart !== phase.plannedStart || phase.originalPlannedEnd !== phase.plannedEnd;
    return html`<g>
<text x="0" y="${y0 + 16}" font-size="14" font-weight="700" fill="${COLOURS.text}">${truncate(`Phase ${index + 1} — ${phase.name}`, 110)}<title>${phase.name}</title></text>
${label(0, 'Plan initial')}${bar(0, phase.originalPlannedStart, phase.originalPlannedEnd, '#ffffff', html`stroke="${COLOURS.originalPlan}" stroke-width="2" stroke-dasharray="6 3"`, `Plan initial : du ${formatDate(phase.originalPlannedStart)} au ${formatDate(phase.originalPlannedEnd)}`)}
${label(1, 'Plan actuel')}${bar(1, phase.plannedStart, phase.plannedEnd, COLOURS.currentPlan, '', `Plan actuel : du ${formatDate(phase.plannedStart)} au ${formatDate(phase.plannedEnd)}${rescheduled ? ' (replanifiée)' : ''}`)}
${label(2, 'Réalisé')}${actual}${milestones}
</g>`;
  });

  const reference = x(referenceDate);
  const referenceAnchor = reference > right - 160 ? 'end' : 'start';
  const inauguration =
    input.inauguratedOn && dayNumber(input.inauguratedOn) >= start && dayNumber(input.inauguratedOn) < end
      ? html`<g><line x1="${x(input.inauguratedOn).toFixed(1)}" y1="${top - 4}" x2="${x(input.inauguratedOn).toFixed(1)}" y2="${legendTop - 8}" stroke="${COLOURS.primary}" stroke-width="2" stroke-dasharray="2 3"/><text x="${(x(input.inauguratedOn) + 4).toFixed(1)}" y="${legendTop - 12}" font-size="12" fill="${COLOURS.primary}">Inauguration le ${formatDate(input.inauguratedOn)}</text></g>`
      : '';

  const description = phases
    .map((phase, index) => {
      const actual = phase.actualStart
        ? phase.actualEnd
          ? `réalisée du ${formatDate(phase.actualStart)} au ${formatDate(phase.actualEnd)}`
          : phase.interruptedOn
            ? lowerFirst(interruptedText(phase.actualStart, phase.interruptedOn))
            : `en cours depuis le ${formatDate(phase.actualStart)}`
        : 'pas encore commencée';
      return `Phase ${index + 1}, ${phase.name} : prévue initialement du ${formatDate(phase.originalPlannedStart)} au ${formatDate(phase.originalPlannedEnd)}, plan actuel du ${formatDate(phase.plannedStart)} au ${formatDate(phase.plannedEnd)}, ${actual}.`;
    })
    .join(' ');

  return html`<figure class="graphique">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${idOf('titre')} ${idOf('desc')}" ${raw(FONT)}>
<title id="${idOf('titre')}">${input.title}</title>
<desc id="${idOf('desc')}">${description || 'Aucune phase planifiée.'}</desc>
<defs><pattern id="${idOf('en-cours')}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/><rect width="4" height="8" fill="${COLOURS.actual}"/></pattern></defs>
${yearTicks}
${rows}
${inauguration}
<line x1="${reference.toFixed(1)}" y1="4" x2="${reference.toFixed(1)}" y2="${legendTop - 8}" stroke="${COLOURS.error}" stroke-width="2"/>
<text x="${(reference + (referenceAnchor === 'end' ? -6 : 6)).toFixed(1)}" y="16" text-anchor="${referenceAnchor}" font-size="12" font-weight="600" fill="${COLOURS.error}">${input.referenceLabel}</text>
${legend(legendTop, [
    { swatch: html`<rect width="22" height="12" fill="#ffffff" stroke="${COLOURS.originalPlan}" stroke-width="2" stroke-dasharray="6 3"/>`, label: 'Plan initial' },
    { swatch: html`<rect width="22" height="12" fill="${COLOURS.currentPlan}"/>`, label: 'Plan actuel' },
    { swatch: html`<rect width="22" height="12" fill="${COLOURS.actual}"/>`, label: 'Réalisé' },
    { swatch: html`<rect width="22" height="12" fill="url(#${idOf('en-cours')})" stroke="${COLOURS.actual}" stroke-width="2"/>`, label: 'En cours' },
    ...(phases.some((phase) => !phase.actualEnd && phase.interruptedOn)
      ? [{ swatch: html`<rect width="22" height="12" fill="${COLOURS.actual}" stroke="${COLOURS.error}" stroke-width="2" stroke-dasharray="4 2"/>`, label: PHASE_STATUS_LABELS.interrupted }]
      : []),
    { swatch: html`<path d="M 11 -1 L 18 6 L 11 13 L 4 6 Z" fill="#ffffff" stroke="${COLOURS.text}" stroke-width="2"/>`, label: 'Jalon atteint' },
  ])}
</svg>
</figure>`;
}

/** A phase stopped by its antenna's closing, in words: « Interrompue : commencée le …, antenne fermée le … ». */
function interruptedText(actualStart: string, closedOn: string): string {
  return `Interrompue : commencée le ${formatDate(actualStart)}, antenne fermée le ${formatDate(closedOn)}`;
}

export interface BudgetYear {
  readonly year: number;
  readonly forecastCents: number;
  readonly releasedCents: number;
  readonly spentCents: number;
}

/** Grouped bars per year: forecast (in force), released by funders, spent. */
export function budgetChart(input: { readonly id: string; readonly title: string; readonly years: readonly BudgetYear[] }): SafeHtml {
  const { years } = input;
  const left = 100;
  const right = WIDTH - 16;
  const top = 24;
  const plotHeight = 260;
  const bottom = top + plotHeight;
  const legendTop = bottom + 40;
  const height = legendTop + 30;
  const idOf = (suffix: string) => `${input.id}-${suffix}`;

  const maxCents = Math.max(1, ...years.flatMap((year) => [year.forecastCents, year.releasedCents, year.spentCents]));
  const step = niceStepEuros(Math.ceil(maxCents / 100) / 5);
  const tickCount = Math.max(1, Math.ceil(maxCents / 100 / step));
  const topEuros = step * tickCount;
  const y = (cents: number) => bottom - (cents / 100 / topEuros) * plotHeight;

  const grid = Array.from({ length: tickCount + 1 }, (_, index) => {
    const euros = step * index;
    const position = bottom - (euros / topEuros) * plotHeight;
    return html`<line x1="${left}" y1="${position.toFixed(1)}" x2="${right}" y2="${position.toFixed(1)}" stroke="${index === 0 ? COLOURS.text : COLOURS.rule}" stroke-width="1"/><text x="${left - 8}" y="${(position + 4).toFixed(1)}" text-anchor="end" font-size="12" fill="${COLOURS.muted}">${formatWholeEuros(euros)}</text>`;
  });

  const series = [
    { key: 'forecastCents' as const, label: 'Prévisionnel', fill: COLOURS.forecast, extra: '' },
    { key: 'releasedCents' as const, label: 'Versé', fill: `url(#${idOf('hachure')})`, extra: html`stroke="${COLOURS.released}" stroke-width="2"` },
    { key: 'spentCents' as const, label: 'Dépensé', fill: COLOURS.spent, extra: '' },
  ];
  const groupWidth = years.length === 0 ? right - left : (right - left) / years.length;
  const barWidth = Math.min(56, (groupWidth * 0.75) / series.length);
  const groups = years.map((year, index) => {
    const groupLeft = left + index * groupWidth + (groupWidth - barWidth * series.length) / 2;
    const bars = series.map((serie, position) => {
      const cents = year[serie.key];
      const x0 = groupLeft + position * barWidth + 2;
      const top0 = y(cents);
      const label = `${serie.label} ${year.year} : ${formatEuros(cents)}`;
      return html`<rect x="${x0.toFixed(1)}" y="${top0.toFixed(1)}" width="${(barWidth - 4).toFixed(1)}" height="${Math.max(0, bottom - top0).toFixed(1)}" fill="${serie.fill}" ${serie.extra}><title>${label}</title></rect>
<text x="${(x0 + (barWidth - 4) / 2).toFixed(1)}" y="${(top0 - 5).toFixed(1)}" text-anchor="middle" font-size="11" fill="${COLOURS.text}">${kiloEuros(cents)}</text>`;
    });
    return html`<g>${bars}<text x="${(left + index * groupWidth + groupWidth / 2).toFixed(1)}" y="${bottom + 20}" text-anchor="middle" font-size="14" font-weight="600" fill="${COLOURS.text}">${year.year}</text></g>`;
  });

  const description =
    years.length === 0
      ? 'Aucun montant enregistré.'
      : years
          .map((year) => `${year.year} : prévisionnel ${formatEuros(year.forecastCents)}, versé ${formatEuros(year.releasedCents)}, dépensé ${formatEuros(year.spentCents)}.`)
          .join(' ');

  return html`<figure class="graphique">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${idOf('titre')} ${idOf('desc')}" ${raw(FONT)}>
<title id="${idOf('titre')}">${input.title}</title>
<desc id="${idOf('desc')}">${description}</desc>
<defs><pattern id="${idOf('hachure')}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="${COLOURS.released}"/></pattern></defs>
${grid}
${groups}
${legend(
    legendTop,
    series.map((serie) => ({ swatch: html`<rect width="22" height="12" fill="${serie.fill}" ${serie.extra}/>`, label: serie.label })),
  )}
</svg>
</figure>`;
}

function legend(y: number, items: readonly { readonly swatch: SafeHtml; readonly label: string }[]): SafeHtml {
  let offset = 0;
  const entries = items.map((item) => {
    const entry = html`<g transform="translate(${offset} 0)">${item.swatch}<text x="30" y="11" font-size="13" fill="${COLOURS.text}">${item.label}</text></g>`;
    offset += 40 + item.label.length * 8;
    return entry;
  });
  return html`<g transform="translate(0 ${y})">${entries}</g>`;
}

/** A step of 1, 2, 2.5 or 5 times a power of ten euros, at least `rawStep`. */
export function niceStepEuros(rawStep: number): number {
  if (rawStep <= 1) return 1;
  let magnitude = 1;
  while (magnitude * 10 <= rawStep) magnitude *= 10;
  for (const factor of [1, 2, 2.5, 5, 10]) if (factor * magnitude >= rawStep) return factor * magnitude;
  return 10 * magnitude;
}

/** 15600000 cents → "156 k€" (a bar label; exact amounts are in the table). */
function kiloEuros(cents: number): string {
  if (cents === 0) return '';
  const thousands = Math.round(cents / 100_000);
  return thousands === 0 ? '< 1 k€' : `${formatInteger(thousands)} k€`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
