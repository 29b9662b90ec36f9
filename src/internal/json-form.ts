/**
 * The one JSON form of bpds objects that have a binary encoding (public keys,
 * ciphertexts, proofs): `{ "typ": "<type>", "v": 1, "data": "<base64url of toBytes()>" }`,
 * the shape bpds/ces already uses for signed records and presentations. Secret keys
 * have no JSON form: their `toJSON` throws, so `JSON.stringify` never writes a secret
 * by accident (nor silently writes `{}`). Internal.
 */
import { InvalidArgumentError, InvalidEncodingError } from '../errors.js';
import { fromBase64url, toBase64url } from './bytes.js';
import { parseJsonStrict } from './strict-json.js';

/** The JSON form. */
export interface JsonForm {
  readonly typ: string;
  readonly v: 1;
  readonly data: string;
}

/** Largest `data` accepted (64 MiB of bytes). */
const MAX_DATA = Math.ceil(((64 << 20) * 4) / 3);

/** The JSON form of `bytes` with type `typ`. */
export function toJsonForm(typ: string, bytes: Uint8Array): JsonForm {
  return { typ, v: 1, data: toBase64url(bytes) };
}

/**
 * The bytes of a JSON form (the object, or its JSON text) of type `typ`.
 *
 * @throws InvalidEncodingError for malformed text, another `typ`, another version or extra members
 * @throws InvalidArgumentError when `json` is neither an object nor a string
 */
export function fromJsonForm(json: unknown, typ: string, what: string): Uint8Array {
  let o = json;
  if (typeof json === 'string') {
    if (json.length > MAX_DATA + 256) throw new InvalidEncodingError(`${what}: JSON too large`);
    o = parseJsonStrict(json, { maxDepth: 2, maxLength: MAX_DATA + 256 });
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    if (typeof json === 'string') throw new InvalidEncodingError(`${what}: expected a JSON object`);
    throw new InvalidArgumentError('"json" expected object or string');
  }
  const r = o as Record<string, unknown>;
  if (Object.keys(r).sort().join(',') !== 'data,typ,v' || r.typ !== typ || typeof r.data !== 'string') {
    throw new InvalidEncodingError(`${what}: expected {"typ":"${typ}","v":1,"data":"<base64url>"}`);
  }
  if (r.v !== 1) throw new InvalidEncodingError(`${what}: unknown version of the JSON form`);
  if (r.data.length > MAX_DATA) throw new InvalidEncodingError(`${what}: data too large`);
  return fromBase64url(r.data, `${what} data`);
}

/**
 * Thrown by `toJSON` of secret keys.
 *
 * @throws InvalidArgumentError always, naming the explicit export methods
 */
export function refuseJson(what: string, exportWith = 'toBytes() or toArmored()'): never {
  throw new InvalidArgumentError(
    `${what} has no JSON form (it is secret): export it explicitly with ${exportWith} and store it as a secret`,
  );
}

/**
 * Thrown by `toJSON` of live objects (ledgers, blob stores, protocol roles, keyrings): they
 * hold connections, state or secret keys that JSON cannot carry, so `JSON.stringify` fails
 * loudly instead of writing `{}` or a few public fields.
 *
 * @throws InvalidArgumentError always, saying why and what to persist instead
 */
export function refuseLiveJson(what: string, instead: string): never {
  throw new InvalidArgumentError(`${what} has no JSON form (it is a live object): ${instead}`);
}
