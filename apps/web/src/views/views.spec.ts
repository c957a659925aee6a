import { COLOURS } from '../assets/jalon-css';
import { FORMS, formWithRows } from '../forms/form-catalogue';
import { budgetChart, ganttChart, GanttPhase, niceStepEuros } from './charts';
import { formView } from './form.view';
import { page } from './layout';
import { fr } from '../../../../libs/reporting/src/testing/french-spaces';

/** WCAG 2.x relative luminance and contrast ratio. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

describe('dashboard views', () => {
  it('uses colours with enough contrast on white: text 4.5:1 at least, chart marks and borders 3:1', () => {
    for (const colour of [COLOURS.text, COLOURS.muted, COLOURS.primary, COLOURS.primaryHover, COLOURS.error, COLOURS.success, COLOURS.warning]) {
      expect({ colour, ratio: contrast(colour, '#ffffff') >= 4.5 }).toEqual({ colour, ratio: true });
    }
    for (const colour of [COLOURS.border, COLOURS.focus, COLOURS.forecast, COLOURS.released, COLOURS.spent, COLOURS.originalPlan, COLOURS.currentPlan, COLOURS.actual]) {
      expect({ colour, ratio: contrast(colour, '#ffffff') >= 3 }).toEqual({ colour, ratio: true });
    }
    expect(contrast('#ffffff', COLOURS.primary)).toBeGreaterThan(7); // button text
  });

  it('frames every page in French, with a skip link to the main content and the style sheet from the app itself', () => {
    const markup = page({ title: 'Essai' }, 'contenu');
    expect(markup).toMatch(/^<!doctype html>\n<html lang="fr">/);
    expect(markup).toContain('<a class="lien-evitement" href="#contenu">Aller au contenu</a>');
    expect(markup).toContain('<main id="contenu" tabindex="-1">');
    expect(markup).toMatch(/<link rel="stylesheet" href="\/assets\/jalon\.css\?v=[0-9a-f]{12}">/);
    expect(markup).not.toMatch(/https?:\/\//);
    expect(markup).not.toContain('<script');
  });

  it('labels every field of every form (label for = id), and ties hints and messages to it', () => {
    for (const generic of FORMS) {
      // Two rows in each list (tranches, partners, budget lines), as « Ajouter une ligne » draws them.
      const form = formWithRows(generic, new Map(generic.lists.map((list) => [list.path, 2])));
      const errors = form.fields.map((field) => ({ field: field.name, message: 'Message' }));
      const markup = formView({ form, action: '/x', back: { href: '/', label: 'Retour' }, values: {}, errors, options: {}, revisions: '', submissionKey: 'cle-de-test-0123456789', csrfToken: 't', timeZone: 'Europe/Paris' }).value;
      const ids = [...markup.matchAll(/<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"/g)].map((match) => match[1]!);
      expect(ids.length).toBe(form.fields.length);
      for (const id of ids) {
        expect(markup).toContain(`<label for="${id}">`);
        const control = new RegExp(`id="${id}"[^>]*aria-describedby="[^"]*erreur-${id}[^"]*"[^>]*aria-invalid="true"`);
        expect({ form: form.slug, id, described: control.test(markup) }).toEqual({ form: form.slug, id, described: true });
        expect(markup).toContain(`<p class="message-erreur" id="erreur-${id}">`);
      }
    }
  });

  it('escapes what users typed when a form comes back', () => {
    const form = FORMS.find((candidate) => candidate.slug === 'inaugurer')!;
    const markup = formView({
      form,
      action: '/x',
      back: { href: '/', label: 'Retour' },
      values: { place: '"><script>alert(1)</script>' },
      errors: [],
      options: {},
      revisions: '',
      submissionKey: 'cle-de-test-0123456789',
      csrfToken: 't',
      timeZone: 'Europe/Paris',
    }).value;
    expect(markup).not.toContain('<script>');
    expect(markup).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  /** A phase planned for 2021–2022, started on 01/09/2021 and not completed. */
  const startedPhase: GanttPhase = {
    name: 'Accueil',
    originalPlannedStart: '2021-01-01',
    originalPlannedEnd: '2022-12-31',
    plannedStart: '2021-01-01',
    plannedEnd: '2022-12-31',
    actualStart: '2021-09-01',
    actualEnd: null,
    milestones: [],
  };

  it('draws the phases as a Gantt chart with a title, a text description and the reference day', () => {
    const svg = ganttChart({
      id: 'g',
      title: 'Calendrier',
      referenceDate: '2024-03-15',
      referenceLabel: 'Aujourd’hui',
      inauguratedOn: '2022-06-22',
      phases: [{ ...startedPhase, name: '<Phase & 1>', milestones: [{ name: 'Jalon', reachedOn: '2021-09-20' }] }],
    }).value;
    expect(svg).toContain('role="img" aria-labelledby="g-titre g-desc"');
    expect(svg).toContain('<desc id="g-desc">Phase 1, &lt;Phase &amp; 1&gt; : prévue initialement du 01/01/2021 au 31/12/2022, plan actuel du 01/01/2021 au 31/12/2022, en cours depuis le 01/09/2021.</desc>');
    expect(svg).toContain('Inauguration le 22/06/2022');
    expect(svg).toContain('<title>Jalon atteint le 20/09/2021 : Jalon</title>');
    for (const year of ['2021', '2022', '2023', '2024']) expect(svg).toContain(`>${year}</text>`);
  });

  it('rule: a phase left started on an antenna that closed is drawn and described as interrupted at the closing, never « en cours » up to the reference day', () => {
    const phase = { ...startedPhase, interruptedOn: '2023-01-31' };
    const svg = ganttChart({ id: 'g', title: 'Calendrier', referenceDate: '2024-03-15', referenceLabel: 'Aujourd’hui', phases: [phase] }).value;
    expect(svg).toContain(
      '<desc id="g-desc">Phase 1, Accueil : prévue initialement du 01/01/2021 au 31/12/2022, plan actuel du 01/01/2021 au 31/12/2022, interrompue : commencée le 01/09/2021, antenne fermée le 31/01/2023.</desc>',
    );
    expect(svg).toContain('<title>Interrompue : commencée le 01/09/2021, antenne fermée le 31/01/2023</title>');
    expect(svg).toContain('>Interrompue (antenne fermée)</text>');
    expect(svg).not.toContain('En cours depuis');
    // The bar stops at the closing: it ends where 01/02/2023 begins, well before the reference day.
    const bar = /<rect x="([\d.]+)" y="\d+" width="([\d.]+)"[^>]*><title>Interrompue/.exec(svg)!;
    const reference = /<line x1="([\d.]+)" y1="4"/.exec(svg)!;
    expect(Number(bar[1]) + Number(bar[2])).toBeLessThan(Number(reference[1]) - 100);
    // Without the closing, the same phase is « en cours » up to the reference day, and the legend has no « interrompue ».
    const open = ganttChart({ id: 'g', title: 'Calendrier', referenceDate: '2024-03-15', referenceLabel: 'Aujourd’hui', phases: [{ ...phase, interruptedOn: null }] }).value;
    expect(open).toContain('<title>En cours depuis le 01/09/2021</title>');
    expect(open).not.toContain('Interrompue');
  });

  it('draws the budget as grouped bars per year, amounts in French', () => {
    const svg = budgetChart({ id: 'b', title: 'Budget', years: [{ year: 2021, forecastCents: 12_000_000, releasedCents: 4_000_000, spentCents: 5_050_000 }] }).value;
    expect(svg).toContain(fr('<desc id="b-desc">2021 : prévisionnel 120 000,00 €, versé 40 000,00 €, dépensé 50 500,00 €.</desc>'));
    expect(svg).toContain(fr('<title>Dépensé 2021 : 50 500,00 €</title>'));
    expect(svg).toContain(fr('>125 000 €</text>')); // the axis goes one step beyond the highest bar
    expect(niceStepEuros(24_000)).toBe(25_000);
    expect(niceStepEuros(0.4)).toBe(1);
  });
});
