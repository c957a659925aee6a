import { inflateSync } from 'node:zlib';

/**
 * The text a PDF written by pdfkit (pdfmake) shows, as a reader would copy it: each text object
 * (`BT … ET`, a word or a run of words that cannot break) decoded through its font's `ToUnicode`
 * map, in the order drawn. A glyph the map does not name (the font's « missing character » box,
 * glyph 0) is given as U+FFFD, so that a test sees it. Only what pdfkit writes is read: indirect
 * objects, Flate streams, `Tf` and `TJ` with hexadecimal strings, `bfrange` / `bfchar` maps.
 */
export function pdfTextRuns(pdf: Buffer): string[] {
  const objects = new Map<number, { dictionary: string; stream?: string }>();
  const source = pdf.toString('latin1');
  // A stream is read by its /Length, not up to the next « endobj »: compressed bytes may spell it.
  const header = /(\d+) 0 obj\s*/g;
  for (let match = header.exec(source); match !== null; match = header.exec(source)) {
    const start = match.index + match[0].length;
    const end = source.indexOf('endobj', start);
    const at = source.slice(start, end).search(/stream\r?\n/);
    if (at < 0) {
      objects.set(Number(match[1]), { dictionary: source.slice(start, end) });
      header.lastIndex = end;
      continue;
    }
    const dictionary = source.slice(start, start + at);
    const data = source.indexOf('\n', start + at) + 1;
    const length = Number(/\/Length\s+(\d+)/.exec(dictionary)?.[1]);
    const raw = Buffer.from(source.slice(data, data + length), 'latin1');
    const stream = (/\/FlateDecode/.test(dictionary) ? inflateSync(raw) : raw).toString('latin1');
    objects.set(Number(match[1]), { dictionary, stream });
    header.lastIndex = source.indexOf('endobj', data + length);
  }

  const maps = new Map<string, Map<number, string>>();
  for (const { dictionary } of objects.values()) {
    for (const fonts of dictionary.matchAll(/\/Font\s*<<([^>]*)>>/g)) {
      for (const [, name, reference] of fonts[1]!.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
        const font = objects.get(Number(reference))?.dictionary ?? '';
        const toUnicode = /\/ToUnicode\s+(\d+) 0 R/.exec(font);
        maps.set(name!, unicodeMap(toUnicode ? (objects.get(Number(toUnicode[1]))?.stream ?? '') : ''));
      }
    }
  }

  const runs: string[] = [];
  for (const { dictionary, stream } of objects.values()) {
    if (stream === undefined || /\/(Subtype|Type)\s*\/(Image|XObject|FontFile|CIDFontType|Metadata)/.test(dictionary) || /begincmap/.test(stream)) continue;
    let font = new Map<number, string>();
    for (const block of stream.matchAll(/BT([\s\S]*?)ET/g)) {
      let text = '';
      for (const operation of block[1]!.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|\[((?:[^\]])*)\]\s*TJ/g)) {
        if (operation[1] !== undefined) {
          font = maps.get(operation[1]) ?? new Map();
          continue;
        }
        for (const hex of operation[2]!.matchAll(/<([0-9a-fA-F]*)>/g)) {
          for (let i = 0; i + 4 <= hex[1]!.length; i += 4) text += font.get(parseInt(hex[1]!.slice(i, i + 4), 16)) ?? '\ufffd';
        }
      }
      if (text !== '') runs.push(text);
    }
  }
  return runs;
}

/** A `ToUnicode` CMap as glyph id → text; glyph 0 (the missing-character box) is never text. */
function unicodeMap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  // A ligature's text is several units, written with spaces between them (`<0066 0069>` for « fi »).
  const text = (hex: string) => String.fromCharCode(...(hex.replace(/\s/g, '').match(/.{4}/g) ?? []).map((unit) => parseInt(unit, 16)));
  for (const section of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const first = parseInt(range[1]!, 16);
      const last = parseInt(range[2]!, 16);
      if (range[3]!.startsWith('[')) {
        [...range[3]!.matchAll(/<([0-9a-fA-F\s]+)>/g)].forEach((target, i) => map.set(first + i, text(target[1]!)));
      } else {
        const start = parseInt(range[3]!.slice(1, -1), 16);
        for (let glyph = first; glyph <= last; glyph++) map.set(glyph, String.fromCharCode(start + glyph - first));
      }
    }
  }
  for (const section of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g)) map.set(parseInt(pair[1]!, 16), text(pair[2]!));
  }
  map.delete(0);
  return map;
}
