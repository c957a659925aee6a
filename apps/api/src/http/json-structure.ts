/** One open object or array while a JSON text is read: its keys so far (objects), and where the reading is in it. */
interface Frame {
  /** `undefined` for an array. */
  readonly keys: Set<string> | undefined;
  /** The key whose value is being read (objects). */
  key: string;
  /** The index of the item being read (arrays). */
  index: number;
  /** After `{` or `,` in an object, the next string is a key. */
  expectingKey: boolean;
}

/** What one pass over a JSON text's brackets, strings and keys tells, before or without parsing it. */
export interface JsonStructure {
  /** Brackets nest deeper than the limit asked for: the pass stopped there, and found no key past it. */
  readonly tooDeep: boolean;
  /**
   * The fields (`lines.0.amountCents`, named as validation names them) whose key appears more than
   * once in the same object, each once, in the order met. `JSON.parse` keeps the last value of a
   * repeated key without a word, so `{"amountCents": 100, "amountCents": 999999}` would be read as
   * one of two amounts the client may have meant.
   */
  readonly duplicateKeys: string[];
  /**
   * The fields whose number is written with more significant digits than a number keeps
   * ({@link MAX_SIGNIFICANT_DIGITS}): `JSON.parse` rounds it without a word, so
   * `"amountCents": 1234.99999999999999` would be read as the whole number 1235.
   */
  readonly inexactNumbers: { readonly field: string; readonly written: string }[];
}

/**
 * The most significant digits a number keeps exactly (a double keeps 15 to 17): with no more, a
 * number written with a fraction never becomes a whole number once parsed, and a whole number is
 * the one written.
 */
export const MAX_SIGNIFICANT_DIGITS = 15;

/** A character of a JSON number: a digit, `-`, `+`, `.`, `e` or `E`. */
function isNumberCharacter(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2b || code === 0x2e || code === 0x65 || code === 0x45;
}

/** The significant digits of a JSON number as written: its mantissa without sign, point, leading and trailing zeros. */
function significantDigits(literal: string): number {
  const exponent = literal.search(/[eE]/);
  const mantissa = (exponent < 0 ? literal : literal.slice(0, exponent)).replace(/[-.]/g, '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
}

/**
 * One pass over a JSON text, without recursion and without parsing it: how deep its brackets nest
 * (outside strings; the pass stops past `maxDepth`) and which keys repeat in one object, compared
 * decoded (`"amount\u0043ents"` is `amountCents`). Only the object holding a repeated key costs a
 * path to build. On a text that is not JSON the keys found mean nothing: read them only once
 * `JSON.parse` has accepted it.
 */
export function jsonStructureOf(text: string, maxDepth = Number.POSITIVE_INFINITY): JsonStructure {
  const found = new Set<string>();
  const inexactNumbers: { field: string; written: string }[] = [];
  const stack: Frame[] = [];
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22 /* " */) {
      const start = index;
      let escaped = false;
      for (index++; index < text.length; index++) {
        const inner = text.charCodeAt(index);
        if (inner === 0x5c /* \ */) {
          escaped = true;
          index++;
        } else if (inner === 0x22) {
          break;
        }
      }
      const top = stack[stack.length - 1];
      if (top?.keys !== undefined && top.expectingKey) {
        const key = escaped ? decodedKey(text.slice(start, index + 1)) : text.slice(start + 1, index);
        if (top.keys.has(key)) found.add(pathOf(stack, key));
        else top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
    } else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      if (stack.length >= maxDepth) return { tooDeep: true, duplicateKeys: [], inexactNumbers: [] };
      stack.push(code === 0x7b ? { keys: new Set(), key: '', index: 0, expectingKey: true } : { keys: undefined, key: '', index: 0, expectingKey: false });
    } else if (code === 0x2d /* - */ || (code >= 0x30 && code <= 0x39) /* 0-9 */) {
      const start = index;
      while (index + 1 < text.length && isNumberCharacter(text.charCodeAt(index + 1))) index++;
      const literal = text.slice(start, index + 1);
      const top = stack[stack.length - 1];
      if (top !== undefined && literal.length > MAX_SIGNIFICANT_DIGITS && significantDigits(literal) > MAX_SIGNIFICANT_DIGITS) {
        inexactNumbers.push({ field: pathOf(stack, top.keys !== undefined ? top.key : String(top.index)), written: literal });
      }
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      stack.pop();
    } else if (code === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys !== undefined) top.expectingKey = true;
      else if (top !== undefined) top.index++;
    }
  }
  return { tooDeep: false, duplicateKeys: [...found], inexactNumbers };
}

/** The keys repeated in one object of a JSON text `JSON.parse` accepted (see {@link jsonStructureOf}). */
export function duplicateKeysOf(text: string): string[] {
  return jsonStructureOf(text).duplicateKeys;
}

/** A quoted key with escapes, decoded; as written when it is no JSON string (a text that is not JSON: its keys are not read). */
function decodedKey(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted;
  }
}

/** `lines.0.amountCents`: the keys and indexes of the enclosing objects and arrays, then `key`. */
function pathOf(stack: readonly Frame[], key: string): string {
  const parts = stack.slice(0, -1).map((frame) => (frame.keys !== undefined ? frame.key : String(frame.index)));
  return [...parts, key].join('.');
}
