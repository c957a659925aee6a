import { digestOf, sameData } from './equality';

describe('digestOf', () => {
  const details = { antennaId: 'montbeliard', expenditureId: 'd1', description: 'Mobilier — juin 2022 (facture 2022-00001)', supplier: 'Menuiserie' };

  it('rule: equal data give equal digests, whatever the key order and with undefined entries left out (as sameData sees them)', () => {
    const reordered = { supplier: 'Menuiserie', description: details.description, expenditureId: 'd1', antennaId: 'montbeliard', invoiceNumber: undefined };
    expect(sameData(details, reordered)).toBe(true);
    expect(digestOf(reordered)).toBe(digestOf(details));
    expect(digestOf({ a: [1, { b: 'x', c: null }] })).toBe(digestOf({ a: [1, { c: null, b: 'x' }] }));
  });

  it('rule: data that differ in one field, one character, one value moved to another field or a string for a number give other digests', () => {
    const variants: unknown[] = [
      { ...details, description: `${details.description} ` },
      { ...details, description: details.description.replace('—', '-') },
      { ...details, supplier: '' },
      { ...details, supplier: undefined },
      { ...details, supplier: details.description, description: details.supplier },
      { ...details, invoiceNumber: 'null' },
      { ...details, invoiceNumber: null },
      { ...details, amountCents: 1 },
      { ...details, amountCents: '1' },
      { ...details, description: ['Mobilier — juin 2022 (facture 2022-00001)'] },
    ];
    const digests = new Set([digestOf(details), ...variants.map(digestOf)]);
    expect(digests.size).toBe(variants.length + 1);
  });

  it('rule: a digest is a whole number of at most 53 bits, and 200,000 distinct expenditures give 200,000 distinct digests', () => {
    const seen = new Set<number>();
    let outOfRange = 0;
    for (let i = 0; i < 200_000; i++) {
      const digest = digestOf({ ...details, expenditureId: `d${i}`, description: `Frais de déplacement — ${i % 12} 2022 (facture 2022-${String(i).padStart(6, '0')})` });
      if (!Number.isSafeInteger(digest) || digest < 0) outOfRange++;
      seen.add(digest);
    }
    expect(outOfRange).toBe(0);
    expect(seen.size).toBe(200_000);
  });
});
