import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { zipOf } from '../../../../test/support/zip-archive';
import { checkDocument, sniffMediaType } from './document-type';

const MAX = 1024 * 1024;

/** A zip with the given entries stored (method 0), as a minimal writer would make it. */
function zip(entries: readonly [string, string][]): Buffer {
  return zipOf(entries.map(([name, content]) => ({ name, content: Buffer.from(content), stored: true })));
}

describe('the type of a document, read from its content', () => {
  it('rule: PDF, PNG and JPEG by their signatures', () => {
    expect(sniffMediaType(Buffer.from('%PDF-1.7\n…'))).toBe('application/pdf');
    expect(sniffMediaType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
  });

  it('rule: an XLSX is a zip holding [Content_Types].xml and xl/workbook.xml (a real one, written by ExcelJS)', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Dépenses').addRow(['Fournisseur', 'Montant']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(checkDocument(bytes, 'depenses-2023.xlsx', MAX)).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });

  it('rule: an ODS is a zip whose first entry, mimetype, says so; any other zip is not accepted', () => {
    const ods = zip([
      ['mimetype', 'application/vnd.oasis.opendocument.spreadsheet'],
      ['content.xml', '<office:document-content/>'],
    ]);
    expect(checkDocument(ods, 'budget.ods', MAX)).toBe('application/vnd.oasis.opendocument.spreadsheet');
    const docx = zip([
      ['[Content_Types].xml', '<Types/>'],
      ['word/document.xml', Buffer.from(deflateRawSync('x')).toString('latin1')],
    ]);
    expect(sniffMediaType(docx)).toBeUndefined();
    expect(() => checkDocument(docx, 'lettre.xlsx', MAX)).toThrow(expect.objectContaining({ code: 'DOCUMENT.UNSUPPORTED_TYPE' }));
    expect(sniffMediaType(Buffer.from('PK\u0003\u0004'))).toBeUndefined();
  });

  it('rule: text is valid UTF-8 without NUL; the name tells CSV from TXT', () => {
    expect(checkDocument(Buffer.from('\ufeffAnnée;Montant\n2023;1 250,00\n'), 'releve.csv', MAX)).toBe('text/csv');
    expect(checkDocument(Buffer.from('Compte rendu'), 'note.TXT', MAX)).toBe('text/plain');
    expect(sniffMediaType(Buffer.from([0x41, 0x00, 0x42]))).toBeUndefined();
    expect(sniffMediaType(Buffer.from([0x41, 0xc3, 0x28]))).toBeUndefined();
  });

  it('rule: the name’s extension must agree with the content, whatever the name claims', () => {
    expect(() => checkDocument(Buffer.from('%PDF-1.4'), 'facture.png', MAX)).toThrow(expect.objectContaining({ code: 'DOCUMENT.NAME_MISMATCH', field: 'fileName' }));
    expect(() => checkDocument(Buffer.from('texte'), 'facture.pdf', MAX)).toThrow(expect.objectContaining({ code: 'DOCUMENT.NAME_MISMATCH' }));
    expect(() => checkDocument(Buffer.from('%PDF-1.4'), 'facture', MAX)).toThrow(expect.objectContaining({ code: 'DOCUMENT.NAME_MISMATCH' }));
  });

  it('rule: an empty file and a file over the limit are refused, naming the limit', () => {
    expect(() => checkDocument(Buffer.alloc(0), 'vide.txt', MAX)).toThrow(expect.objectContaining({ code: 'DOCUMENT.EMPTY' }));
    expect(() => checkDocument(Buffer.alloc(11, 0x41), 'long.txt', 10)).toThrow(expect.objectContaining({ code: 'DOCUMENT.TOO_LARGE', details: { sizeBytes: 11, maxBytes: 10 } }));
  });
});
