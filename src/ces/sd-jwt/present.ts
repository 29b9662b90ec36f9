/**
 * Holder side of SD-JWT (RFC 9901 §7.2): choosing the disclosures for a selection,
 * checking the signed extraction rules on it, and the Key Binding JWT (§4.3) with
 * `sd_hash` over the presented SD-JWT. Also the rule check shared with the verifier.
 * Internal.
 */
import { InvalidArgumentError, InvalidEncodingError } from '../../errors.js';
import { fromBase64url } from '../../internal/bytes.js';
import { canonicalBytes } from '../../internal/jcs.js';
import { hasBit, maskLength } from '../internal/commit.js';
import { relevant } from '../internal/path.js';
import { isBlsAlgorithm, type SigningKey, type VerifyKey } from '../keys.js';
import { type BrokenRule, RuleSet } from '../rules.js';
import type { JsonValue, PathPattern } from '../types.js';
import { type Disclosure, parseDisclosure, sdDigest } from './disclosure.js';
import { RECORD_CLAIM, RULES_CLAIM, type SdSigned, sdRecordDigest, TAGS_CLAIM } from './issue.js';

export { sdRecordDigest };

import { decodeJws, fromJwk, JWS_ALG, signJws } from './jose.js';
import { processPayload, type SdLeaf } from './process.js';

/** Most disclosures in one SD-JWT. */
export const MAX_DISCLOSURES = 1 << 17;

/** The rules claim as a RuleSet (must be in canonical form), or undefined when malformed. */
export function rulesFromClaim(claim: unknown): RuleSet | undefined {
  if (claim === undefined) return RuleSet.from({});
  try {
    return RuleSet.fromBytes(canonicalBytes(claim));
  } catch {
    return undefined;
  }
}

/** The tags claim as digest -> mask, or undefined when malformed. */
export function tagsFromClaim(claim: unknown, rules: RuleSet): Map<string, Uint8Array> | undefined {
  const tags = new Map<string, Uint8Array>();
  if (claim === undefined) return tags;
  if (typeof claim !== 'object' || claim === null || Array.isArray(claim)) return undefined;
  const len = maskLength(rules);
  for (const [dg, m] of Object.entries(claim)) {
    if (typeof m !== 'string') return undefined;
    let b: Uint8Array;
    try {
      b = fromBase64url(m);
    } catch {
      return undefined;
    }
    if (b.length !== len || b.every((x) => x === 0)) return undefined;
    tags.set(dg, b);
  }
  return tags;
}

/** The first rule broken by a set of disclosed leaves (record paths) and used disclosure digests. */
export function sdBrokenRule(
  rules: RuleSet,
  tags: ReadonlyMap<string, Uint8Array>,
  leaves: readonly SdLeaf[],
  used: (digest: string) => boolean,
): BrokenRule | undefined {
  return rules.check({
    disclosed: (p: PathPattern) =>
      leaves.some((l) => relevant(p, l.path, typeof l.value === 'object' && l.value !== null)),
    full: (i) => {
      for (const [dg, m] of tags) if (hasBit(m, i) && !used(dg)) return false;
      return true;
    },
  });
}

/** Rebuild a holder's SD-JWT from its issuance form `<JWT>~<disclosure>~...~` (structure only). */
export function parseIssued(compact: string, units: readonly PathPattern[]): SdSigned {
  const parts = compact.split('~');
  if (parts.length < 2 || parts[parts.length - 1] !== '' || parts.length - 2 > MAX_DISCLOSURES) {
    throw new InvalidEncodingError('sd-jwt: not an issued SD-JWT');
  }
  const jws = decodeJws(parts[0] as string, 'sd-jwt');
  const ds = parts.slice(1, -1).map(parseDisclosure);
  const done = processPayload(jws.payload, ds);
  const rules = rulesFromClaim(jws.payload[RULES_CLAIM]);
  if (done === undefined || rules === undefined || !(RECORD_CLAIM in done.payload)) {
    throw new InvalidEncodingError('sd-jwt: not a bpds SD-JWT');
  }
  const cnf = jws.payload.cnf as { jwk?: unknown } | undefined;
  let holderKey: VerifyKey | undefined;
  if (cnf !== undefined) holderKey = fromJwk(cnf?.jwk);
  const iat = jws.payload.iat;
  return {
    jwt: parts[0] as string,
    disclosures: ds.map((d) => ({
      encoded: d.encoded,
      digest: d.digest,
      path: (done.pathOf.get(d.digest) as (string | number)[]).slice(1),
    })),
    rules,
    units,
    holderKey,
    issuedAt: typeof iat === 'number' && Number.isSafeInteger(iat) ? iat : 0,
    digests: done.digests,
    recordDigest: sdRecordDigest(done.payload[RECORD_CLAIM] as JsonValue),
  };
}

/** The issuance form of a holder's SD-JWT. */
export function issuedCompact(s: SdSigned): string {
  return `${s.jwt}~${s.disclosures.map((d) => `${d.encoded}~`).join('')}`;
}

/** Holder binding input of {@link presentSdJwt}. */
export interface KbInput {
  readonly key: SigningKey;
  readonly audience: string;
  readonly nonce: string;
  readonly time: number;
}

/**
 * Present the disclosures whose record path is a prefix of one of `leafPaths` (the
 * ancestors of and everything under the selection). Throws ExtractionNotAllowedError
 * data via the returned broken rule.
 */
export function presentSdJwt(
  s: SdSigned,
  leaves: readonly SdLeaf[],
  kb: KbInput | undefined,
): { compact: string; broken: BrokenRule | undefined } {
  const prefixes = new Set<string>();
  for (const l of leaves) for (let i = 1; i <= l.path.length; i++) prefixes.add(JSON.stringify(l.path.slice(0, i)));
  const chosen = s.disclosures.filter((d) => prefixes.has(JSON.stringify(d.path)));
  const used = new Set(chosen.map((d) => d.digest));
  const jws = decodeJws(s.jwt, 'sd-jwt');
  const tags = tagsFromClaim(jws.payload[TAGS_CLAIM], s.rules) ?? new Map();
  const broken = sdBrokenRule(s.rules, tags, leaves, (dg) => used.has(dg));
  let compact = `${s.jwt}~${chosen.map((d) => `${d.encoded}~`).join('')}`;
  if (kb !== undefined) {
    const hk = s.holderKey;
    if (hk === undefined) throw new InvalidArgumentError('"options.holder": the signed record names no holder key');
    if (isBlsAlgorithm(kb.key.algorithm) || !kb.key.verifyKey().equals(hk)) {
      throw new InvalidArgumentError('"options.holder.key" is not the holder key named in the signed record');
    }
    const payload = { iat: kb.time, aud: kb.audience, nonce: kb.nonce, sd_hash: sdDigest(compact) };
    compact += signJws(kb.key, { alg: JWS_ALG[kb.key.algorithm], typ: 'kb+jwt' }, payload);
  }
  return { compact, broken };
}

/** A decoded SD-JWT presentation (`<JWT>~<disclosure>~...~[KB-JWT]`), not yet verified. */
export interface SdParsed {
  readonly compact: string;
  readonly jws: ReturnType<typeof decodeJws>;
  readonly disclosures: readonly Disclosure[];
  /** Everything up to and including the last `~`: what `sd_hash` covers. */
  readonly kbInput: string;
  readonly kb: ReturnType<typeof decodeJws> | undefined;
}

/** Decode a compact SD-JWT or SD-JWT+KB strictly; throws InvalidEncodingError when malformed. */
export function parseSdJwt(compact: string): SdParsed {
  if (typeof compact !== 'string') throw new InvalidArgumentError('"presentation" expected a string');
  if (compact.length > 64 * 1024 * 1024) throw new InvalidEncodingError('sd-jwt: too large');
  const parts = compact.split('~');
  if (parts.length < 2 || parts.length - 2 > MAX_DISCLOSURES) throw new InvalidEncodingError('sd-jwt: no "~"');
  const last = parts[parts.length - 1] as string;
  const middle = parts.slice(1, -1);
  if (middle.some((d) => d.length === 0)) throw new InvalidEncodingError('sd-jwt: empty disclosure');
  const jws = decodeJws(parts[0] as string, 'sd-jwt');
  const disclosures = middle.map(parseDisclosure);
  const kb = last === '' ? undefined : decodeJws(last, 'sd-jwt key binding');
  return { compact, jws, disclosures, kbInput: compact.slice(0, compact.length - last.length), kb };
}

/** Digests visible in a presentation (0 when it is not well formed). */
export function sdDigestCount(p: SdParsed): number {
  return processPayload(p.jws.payload, p.disclosures)?.digests ?? 0;
}
