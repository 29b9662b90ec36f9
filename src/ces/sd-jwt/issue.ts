/**
 * Issuing a record as an SD-JWT VC: Fett, Yasuda, Campbell, "Selective Disclosure for
 * JSON Web Tokens", RFC 9901 (2025), with the SD-JWT VC conventions of
 * draft-ietf-oauth-sd-jwt-vc (`vct` claim, `dc+sd-jwt` media type).
 *
 * The record travels in the `record` claim. Every object member and every array
 * element is selectively disclosable, recursively (§4.2.6), except the paths on or
 * under a `mandatory` rule, which stay in the clear. Each `_sd` array gets decoy digests
 * (§4.2.5) up to a multiple of `bucket`, and is sorted. The extraction rules travel as
 * the signed claim `bpds_rules`; `bpds_tags` maps each disclosure digest under a
 * fullness rule path (mandatory, groups, `requires.needs`) to its rule mask, so a
 * verifier can check fullness without learning hidden claim names. Internal.
 */
import { InvalidArgumentError } from '../../errors.js';
import { toBase64url } from '../../internal/bytes.js';
import { canonicalBytes } from '../../internal/jcs.js';
import { taggedHash } from '../../internal/tagged-hash.js';
import { maskLength, tagOf } from '../internal/commit.js';
import { pathIsPrefixOfPattern, patternIsPrefix } from '../internal/path.js';
import type { SigningKey, VerifyKey } from '../keys.js';
import type { RuleSet } from '../rules.js';
import type { JsonValue, PathPattern } from '../types.js';
import { decoyDigest, makeDisclosure, newSalt, SD_ALG } from './disclosure.js';
import { JWS_ALG, signJws, toJwk } from './jose.js';

/** Media type of an SD-JWT VC (JOSE `typ`). */
export const SD_JWT_VC_TYP = 'dc+sd-jwt';
/** Default `vct` of a bpds record credential. */
export const DEFAULT_VCT = 'urn:bpds:ces:record';
/** The claim holding the record. */
export const RECORD_CLAIM = 'record';
export const RULES_CLAIM = 'bpds_rules';
export const TAGS_CLAIM = 'bpds_tags';

/** One issued disclosure with its path in the record. */
export interface IssuedDisclosure {
  readonly encoded: string;
  readonly digest: string;
  readonly path: (string | number)[];
}

/** The holder's SD-JWT: the issuer-signed JWT and every disclosure. */
export interface SdSigned {
  readonly jwt: string;
  readonly disclosures: readonly IssuedDisclosure[];
  readonly rules: RuleSet;
  readonly units: readonly PathPattern[];
  readonly holderKey: VerifyKey | undefined;
  readonly issuedAt: number;
  /** Number of digests issued, decoys included. */
  readonly digests: number;
  /** SHA-256 of the canonical JSON of the record (to check the holder's record at extraction). */
  readonly recordDigest: Uint8Array;
}

interface Built {
  readonly value: JsonValue;
  readonly mask: Uint8Array | undefined;
}

/** Issuance options. */
export interface SdIssueOptions {
  readonly rules: RuleSet;
  readonly units: readonly PathPattern[];
  readonly holderKey: VerifyKey | undefined;
  readonly bucket: number;
  readonly issuedAt: number;
  readonly vct: string;
  readonly issuer: string | undefined;
}

/** Digest of a record's canonical JSON (RFC 8785), domain-separated. */
export function sdRecordDigest(record: JsonValue): Uint8Array {
  return taggedHash('bpds/v1/ces/sd-jwt/record', canonicalBytes(record));
}

/** Issue `record` (an object or array) as an SD-JWT VC. */
export function issueSdJwt(key: SigningKey, record: JsonValue, o: SdIssueOptions): SdSigned {
  if (JWS_ALG[key.algorithm] === undefined) {
    throw new InvalidArgumentError('"signingKey" for sd-jwt must be Ed25519, P-256 or secp256k1');
  }
  if (typeof record !== 'object' || record === null) {
    throw new InvalidArgumentError('"record" for the sd-jwt scheme must be a JSON object or array');
  }
  const mandatory = (o.rules.toJSON().mandatory ?? []) as PathPattern[];
  const plain = (p: (string | number)[]) => mandatory.some((m) => patternIsPrefix(m, p) || pathIsPrefixOfPattern(p, m));
  const isUnit = (p: (string | number)[]) => o.units.some((u) => u.length === p.length && patternIsPrefix(u, p));
  const disclosures: IssuedDisclosure[] = [];
  const tags: Record<string, string> = {};
  let digests = 0;
  const maskLen = maskLength(o.rules);
  // A disclosure is tagged with the fullness patterns of the submessages (leaves, units)
  // below it: those it must be shown for (absent pattern paths tag nothing).
  const disclose = (path: (string | number)[], name: string | undefined, b: Built): string => {
    const d = makeDisclosure(newSalt(), name, b.value);
    disclosures.push({ encoded: d.encoded, digest: d.digest, path });
    if (b.mask !== undefined) tags[d.digest] = toBase64url(b.mask);
    digests++;
    return d.digest;
  };
  const orInto = (acc: Uint8Array | undefined, m: Uint8Array | undefined) => {
    if (m === undefined) return acc;
    const out = acc ?? new Uint8Array(maskLen);
    for (let i = 0; i < maskLen; i++) out[i] = (out[i] as number) | (m[i] as number);
    return out;
  };
  const build = (v: JsonValue, path: (string | number)[]): Built => {
    const container = typeof v === 'object' && v !== null;
    const empty = container && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
    if (!container || empty || isUnit(path)) return { value: v, mask: tagOf(o.rules, path, container) };
    let mask: Uint8Array | undefined;
    if (Array.isArray(v)) {
      const value = v.map((el, i) => {
        const p = [...path, i];
        const inner = build(el, p);
        mask = orInto(mask, inner.mask);
        return plain(p) ? inner.value : { '...': disclose(p, undefined, inner) };
      });
      return { value, mask };
    }
    const out: Record<string, JsonValue> = {};
    const sd: string[] = [];
    for (const k of Object.keys(v)) {
      if (k === '_sd' || k === '...') {
        throw new InvalidArgumentError(`"record" uses the SD-JWT reserved name "${k}"`);
      }
      const p = [...path, k];
      const inner = build(v[k] as JsonValue, p);
      mask = orInto(mask, inner.mask);
      if (plain(p)) out[k] = inner.value;
      else sd.push(disclose(p, k, inner));
    }
    if (sd.length > 0) {
      while (sd.length % o.bucket !== 0) {
        sd.push(decoyDigest());
        digests++;
      }
      out._sd = sd.sort();
    }
    return { value: out, mask };
  };
  const body = build(record, []).value;
  const payload: Record<string, unknown> = {};
  if (o.issuer !== undefined) payload.iss = o.issuer;
  payload.iat = o.issuedAt;
  payload.vct = o.vct;
  payload._sd_alg = SD_ALG;
  if (o.holderKey !== undefined) payload.cnf = { jwk: toJwk(o.holderKey) };
  payload[RULES_CLAIM] = o.rules.toJSON();
  if (Object.keys(tags).length > 0) payload[TAGS_CLAIM] = tags;
  payload[RECORD_CLAIM] = body;
  const jwt = signJws(key, { alg: JWS_ALG[key.algorithm], typ: SD_JWT_VC_TYP }, payload);
  return {
    jwt,
    disclosures,
    rules: o.rules,
    units: o.units,
    holderKey: o.holderKey,
    issuedAt: o.issuedAt,
    digests,
    recordDigest: sdRecordDigest(record),
  };
}
