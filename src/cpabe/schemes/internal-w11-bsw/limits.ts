/**
 * Limits shared by the Waters11 and BSW07 cores and encodings, and the check of
 * keygen's attribute list. Internal.
 */
import { InvalidArgumentError } from '../../../errors.js';

/** Maximum number of attributes in one secret key. */
export const MAX_KEY_ATTRIBUTES = 4096;
/** Maximum number of LSSS rows in one ciphertext. */
export const MAX_ROWS = 4096;
/** Maximum UTF-8 length of one attribute label. */
export const MAX_LABEL_BYTES = 1024;

/**
 * Validate keygen's attribute list (an array of at most {@link MAX_KEY_ATTRIBUTES}
 * strings) and return it deduplicated, first occurrence first.
 * @throws {InvalidArgumentError} naming `attributes`.
 * @example
 * ```ts
 * keyAttributeList(['a', 'b', 'a']); // ['a', 'b']
 * ```
 */
export function keyAttributeList(attributes: unknown): string[] {
  if (!Array.isArray(attributes) || attributes.length > MAX_KEY_ATTRIBUTES) {
    throw new InvalidArgumentError(`"attributes" expected an array of at most ${MAX_KEY_ATTRIBUTES} strings`);
  }
  for (const x of attributes) {
    if (typeof x !== 'string') throw new InvalidArgumentError('"attributes" expected strings');
  }
  return [...new Set(attributes as string[])];
}
