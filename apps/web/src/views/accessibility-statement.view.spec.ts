import { accessibilityStatementView } from './accessibility-statement.view';

/** The statement's text, tags dropped and white space collapsed. */
function textOf(markup: string): string {
  return markup.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

/** A French postcode and the town after it (`75342 Paris CEDEX 07`). */
const POSTCODE = /\b\d{5} [A-ZÀ-Ý][\p{L}'’ -]*?(?: CEDEX(?: \d{1,2})?)?(?=[ ,.;:)]|$)/gu;
/** A street address (`12 rue …`, `3 bis avenue …`). */
const STREET = /\b\d+(?: ?(?:bis|ter))?,? (?:rue|avenue|boulevard|bd|place|quai|allée|chemin|impasse|cours) /giu;

describe('accessibility statement', () => {
  it('rule: the statement says only what the sources support — no postal address of the Cnam; the only address is the Défenseur des droits’ free-post one', () => {
    const text = textOf(accessibilityStatementView().value);
    expect(text.match(POSTCODE)).toEqual(['75342 Paris CEDEX 07']);
    expect(text).toContain('Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07');
    expect(text.match(STREET)).toBeNull();
  });

  it('rule: a reader who meets a barrier is told whom to contact: the Jalon administrator who issued the token', () => {
    const contact = /<section aria-labelledby="titre-contact">([\s\S]*?)<\/section>/.exec(accessibilityStatementView().value);
    expect(contact).not.toBeNull();
    expect(textOf(contact![1]!)).toContain('signalez-le à l’administrateur de Jalon qui vous a remis votre jeton d’accès');
  });

  it('the address check sees what it looks for (a street and its postcode)', () => {
    const text = 'Vous pouvez aussi écrire au Cnam, 292 rue Saint-Martin, 75003 Paris. Ou : 3 bis avenue du Port, 13002 Marseille CEDEX 2.';
    expect(text.match(POSTCODE)).toEqual(['75003 Paris', '13002 Marseille CEDEX 2']);
    expect(text.match(STREET)).toEqual(['292 rue ', '3 bis avenue ']);
  });
});
