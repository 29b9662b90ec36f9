/**
 * SD-JWT Disclosures (RFC 9901 §4.2): `base64url(JSON([salt, name, value]))` for an
 * object property, `base64url(JSON([salt, value]))` for an array element, and their
 * digests `base64url(SHA-256(ASCII(disclosure)))` (§4.2.3). Internal.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { InvalidEncodingError } from '../../errors.js';
import { fromBase64url, fromUtf8, isWellFormed, toBase64url, utf8 } from '../../internal/bytes.js';
import { nodeCrypto } from '../../internal/node-crypto.js';
import { randomBytes } from '../../internal/random.js';
import { parseJsonStrict } from '../../internal/strict-json.js';
import type { JsonValue } from '../types.js';

/** Salt length: 128 bits from the CSPRNG (RFC 9901 §9.3). */
export const SD_SALT_BYTES = 16;
/** The only digest algorithm issued and accepted. */
export const SD_ALG = 'sha-256';
/** Longest disclosure accepted, in characters. */
export const MAX_DISCLOSURE_CHARS = 16 * 1024 * 1024;

/** A decoded disclosure. `name` is undefined for an array element. */
export interface Disclosure {
  readonly encoded: string;
  readonly digest: string;
  readonly salt: string;
  readonly name: string | undefined;
  readonly value: JsonValue;
}

/** The digest of an encoded disclosure (or of any ASCII string, e.g. for `sd_hash`). */
export function sdDigest(ascii: string): string {
  const nc = nodeCrypto();
  if (nc !== null) return toBase64url(nc.createHash('sha256').update(ascii, 'utf8').digest());
  return toBase64url(sha256(utf8(ascii)));
}

/** A fresh base64url salt. */
export function newSalt(): string {
  return toBase64url(randomBytes(SD_SALT_BYTES));
}

/** A decoy digest (§4.2.5): the digest of a random value, indistinguishable from a real one. */
export function decoyDigest(): string {
  return toBase64url(sha256(randomBytes(32)));
}

/** Create a disclosure. */
export function makeDisclosure(salt: string, name: string | undefined, value: JsonValue): Disclosure {
  const encoded = toBase64url(utf8(JSON.stringify(name === undefined ? [salt, value] : [salt, name, value])));
  return { encoded, digest: sdDigest(encoded), salt, name, value };
}

/** True for a canonical base64url SHA-256 digest string. */
export function isDigest(v: unknown): v is string {
  if (typeof v !== 'string' || v.length !== 43) return false;
  try {
    fromBase64url(v);
    return true;
  } catch {
    return false;
  }
}

/** Decode a disclosure strictly; throws InvalidEncodingError when malformed. */
export function parseDisclosure(encoded: string): Disclosure {
  if (encoded.length > MAX_DISCLOSURE_CHARS) throw new InvalidEncodingError('sd-jwt disclosure: too large');
  const text = fromUtf8(fromBase64url(encoded, 'sd-jwt disclosure'), 'sd-jwt disclosure');
  const v = parseJsonStrict(text, { allowFloats: true, maxLength: MAX_DISCLOSURE_CHARS });
  if (!Array.isArray(v) || (v.length !== 2 && v.length !== 3) || typeof v[0] !== 'string') {
    throw new InvalidEncodingError('sd-jwt disclosure: expected [salt, name, value] or [salt, value]');
  }
  const name = v.length === 3 ? v[1] : undefined;
  if (v.length === 3 && (typeof name !== 'string' || !isWellFormed(name))) {
    throw new InvalidEncodingError('sd-jwt disclosure: claim name must be a string');
  }
  return {
    encoded,
    digest: sdDigest(encoded),
    salt: v[0],
    name: name as string | undefined,
    value: v[v.length - 1] as JsonValue,
  };
}
