import { isSlug, SLUG_MAX_LENGTH } from '@jalon/domain';

/** Letters that do not decompose into a base letter and an accent. */
const LIGATURES: Readonly<Record<string, string>> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l', ı: 'i' };

/**
 * The identifier a name suggests (`Cnam Pays de Montbéliard` → `cnam-pays-de-montbeliard`): lower
 * case, accents and ligatures spelled out, anything else a single hyphen, cut at a word boundary
 * to fit {@link SLUG_MAX_LENGTH}. Empty when the name holds no letter or digit.
 */
export function slugOf(name: string): string {
  const words = name
    .toLowerCase()
    .replace(/[œæßøđłı]/g, (letter) => LIGATURES[letter] ?? letter)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > SLUG_MAX_LENGTH) return slug || word.slice(0, SLUG_MAX_LENGTH);
    slug = next;
  }
  return slug;
}

/**
 * An identifier for something named `name` that no existing one has taken: the name's slug, or,
 * when it is taken, the slug followed by `-2`, `-3`… (shortened to keep within the length).
 * `fallback` is used when the name gives nothing (only punctuation, another script).
 */
export function suggestSlug(name: string, taken: Iterable<string>, fallback = 'element'): string {
  const used = new Set(taken);
  const base = slugOf(name) || slugOf(fallback) || 'element';
  if (!used.has(base)) return base;
  for (let rank = 2; ; rank++) {
    const suffix = `-${rank}`;
    const stem = base.slice(0, SLUG_MAX_LENGTH - suffix.length).replace(/-+$/, '');
    const candidate = `${stem}${suffix}`;
    if (isSlug(candidate) && !used.has(candidate)) return candidate;
  }
}
