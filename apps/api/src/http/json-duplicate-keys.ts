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

/**
 * The fields (`lines.0.amountCents`, named as validation names them) whose key appears more than
 * once in the same object of a JSON text, each once, in the order met. `JSON.parse` keeps the last
 * value of a repeated key without a word, so `{"amountCents": 100, "amountCents": 999999}` would be
 * read as one of two amounts the client may have meant.
 *
 * `text` must be JSON that `JSON.parse` accepted, nested no deeper than the body parser allows:
 * one pass over it, without recursion; keys are compared decoded (`"amount\u0043ents"` is
 * `amountCents`). Only the object holding a repeated key costs a path to build.
 */
export function duplicateKeysOf(text: string): string[] {
  const found = new Set<string>();
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
        const key = escaped ? (JSON.parse(text.slice(start, index + 1)) as string) : text.slice(start + 1, index);
        if (top.keys.has(key)) found.add(pathOf(stack, key));
        else top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
    } else if (code === 0x7b /* { */) {
      stack.push({ keys: new Set(), key: '', index: 0, expectingKey: true });
    } else if (code === 0x5b /* [ */) {
      stack.push({ keys: undefined, key: '', index: 0, expectingKey: false });
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      stack.pop();
    } else if (code === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys !== undefined) top.expectingKey = true;
      else if (top !== undefined) top.index++;
    }
  }
  return [...found];
}

/** `lines.0.amountCents`: the keys and indexes of the enclosing objects and arrays, then `key`. */
function pathOf(stack: readonly Frame[], key: string): string {
  const parts = stack.slice(0, -1).map((frame) => (frame.keys !== undefined ? frame.key : String(frame.index)));
  return [...parts, key].join('.');
}
