/**
 * The first index of `keys` (sorted as SQLite sorts text keys: by UTF-16 code unit, as `<` does)
 * whose key is not below `key`: where `key` stands, or would be inserted.
 */
export function lowerBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
