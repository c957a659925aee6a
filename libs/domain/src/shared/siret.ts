/** A SIRET: 14 digits whose Luhn key is right (the INSEE's check; La Poste's establishments, SIREN 356000000, sum their digits to a multiple of 5 instead). */
export function isSiret(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{14}$/.test(value)) return false;
  if (value.startsWith('356000000')) return [...value].reduce((sum, digit) => sum + Number(digit), 0) % 5 === 0;
  let sum = 0;
  for (let index = 0; index < 14; index++) {
    let digit = Number(value[13 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** A number in the French register of associations (RNA): `W` and nine digits. */
export function isRna(value: unknown): value is string {
  return typeof value === 'string' && /^W\d{9}$/.test(value);
}
