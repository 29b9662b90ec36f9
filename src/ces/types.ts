/**
 * Public types of bpds/ces: JSON values and claims paths.
 *
 * @module ces
 */

/** A JSON value as accepted and returned by bpds/ces (no `undefined`, no non-finite numbers). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A claims path (as in SD-JWT VC "claim path"): strings select object members,
 * non-negative integers select array elements. `[]` is the whole record.
 */
export type ClaimsPath = readonly (string | number)[];

/**
 * A path pattern used in extraction rules and `units`: a claims path in which `null`
 * matches any child, array element or object member, whichever the record holds there
 * (SD-JWT VC style), e.g. `['entry', null, 'resource', 'id']`.
 */
export type PathPattern = readonly (string | number | null)[];

/**
 * A path as accepted on input: a claims path array, or a JSON Pointer (RFC 6901)
 * such as `"/name/0/family"`. In a JSON Pointer, a segment made only of decimal
 * digits without a leading zero names an array index or an object member, whichever
 * the record holds there (selections resolve it against the record; rule and unit
 * patterns match either).
 */
export type PathInput = string | ClaimsPath;

/**
 * A path pattern as accepted on input: a {@link PathPattern} array or a JSON Pointer, in
 * which a segment `*` is the wildcard (the `null` of the array form; a member literally
 * named `*` needs the array form).
 */
export type PatternInput = string | PathPattern;

/** One disclosed submessage: its claims path in the original record and its value. */
export interface DisclosedClaim {
  /** Path in the original record (original array indices). */
  readonly path: ClaimsPath;
  /** The disclosed value (a leaf, an empty container, or a whole unit subtree). */
  readonly value: JsonValue;
}
