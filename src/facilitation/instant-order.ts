/**
 * Orders two instants written by `Date#toISOString`. Such strings have the same length and their
 * punctuation at the same places, so they first differ at a digit: code-unit order is time order, and
 * the same order `localeCompare` gives, without an ICU collation per comparison (sorting 10,000
 * answers with `localeCompare` took several milliseconds).
 */
export function compareInstants(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
