/**
 * Verifying an SD-JWT or SD-JWT+KB (RFC 9901 §7.1 and §7.3): the issuer signature
 * with the issuer's CES key, `_sd_alg`, strict processing of the disclosures, `exp` and
 * `nbf`, the signed extraction rules (`bpds_rules`, `bpds_tags`) when present, and the
 * Key Binding JWT against `cnf` (typ `kb+jwt`, aud, nonce, iat, `sd_hash`). Internal.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../../internal/bytes.js';
import type { VerifyKey } from '../keys.js';
import type { RuleSet } from '../rules.js';
import type { DisclosedClaim, JsonValue } from '../types.js';
import { SD_ALG, sdDigest } from './disclosure.js';
import { RECORD_CLAIM, RULES_CLAIM, TAGS_CLAIM } from './issue.js';
import { algMatches, fromJwk, verifyJws } from './jose.js';
import { rulesFromClaim, type SdParsed, sdBrokenRule, tagsFromClaim } from './present.js';
import { processPayload } from './process.js';

/** Verifier options, already validated. */
export interface SdVerifyOptions {
  readonly audience: string | undefined;
  readonly nonce: string | undefined;
  readonly pinned: RuleSet | undefined;
  readonly maxAgeSeconds: number | undefined;
  readonly now: number | undefined;
}

/** The verdict. */
export type SdVerdict =
  | { readonly ok: false; readonly reason: 'key' | 'signature' | 'rules' | 'structure' | 'holder' | 'expired' }
  | {
      readonly ok: true;
      readonly disclosed: JsonValue | undefined;
      readonly claims: DisclosedClaim[];
      readonly documentId: string;
      readonly issuedAt: number;
      readonly rulesId: string;
      readonly rulesDigest: string;
      readonly holderBound: boolean;
    };

const CLOCK_SKEW = 60;

/** Verify a decoded SD-JWT (signature, structure, time, rules, key binding). */
export function verifySdJwt(vk: VerifyKey, p: SdParsed, o: SdVerifyOptions): SdVerdict {
  const fail = (reason: 'key' | 'signature' | 'rules' | 'structure' | 'holder' | 'expired'): SdVerdict => ({
    ok: false,
    reason,
  });
  const { header, payload } = p.jws;
  if (!algMatches(vk.algorithm, header.alg)) return fail('key');
  if (header.typ === 'kb+jwt' || !verifyJws(vk, p.jws)) return fail('signature');
  if (payload._sd_alg !== undefined && payload._sd_alg !== SD_ALG) return fail('structure');
  const done = processPayload(payload, p.disclosures, payload[RULES_CLAIM] !== undefined);
  if (done === undefined) return fail('structure');
  const now = o.now ?? Math.floor(Date.now() / 1000);
  const { exp, nbf, iat } = payload;
  if (exp !== undefined && (typeof exp !== 'number' || now >= exp + CLOCK_SKEW)) return fail('expired');
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + CLOCK_SKEW)) return fail('expired');

  // Rules (bpds-issued SD-JWTs) or none (any other SD-JWT).
  const bpds = payload[RULES_CLAIM] !== undefined;
  const rules = rulesFromClaim(payload[RULES_CLAIM]);
  if (rules === undefined) return fail('rules');
  if (o.pinned !== undefined && toHex(o.pinned.digest) !== toHex(rules.digest)) return fail('rules');
  const tags = tagsFromClaim(payload[TAGS_CLAIM], rules);
  if (tags === undefined) return fail('rules');
  let disclosed: JsonValue | undefined = done.payload;
  let leaves = done.leaves;
  if (bpds) {
    if (!(RECORD_CLAIM in done.payload)) return fail('structure');
    leaves = leaves.filter((l) => l.path[0] === RECORD_CLAIM).map((l) => ({ path: l.path.slice(1), value: l.value }));
    disclosed = leaves.length === 0 ? undefined : (done.payload[RECORD_CLAIM] as JsonValue);
  }
  const used = new Set(p.disclosures.map((d) => d.digest));
  if (sdBrokenRule(rules, tags, leaves, (dg) => used.has(dg)) !== undefined) return fail('rules');

  // Key binding.
  const wantBinding = o.audience !== undefined || o.nonce !== undefined;
  const cnf = payload.cnf;
  if (cnf === undefined) {
    if (wantBinding || p.kb !== undefined) return fail('holder');
  } else {
    const kb = p.kb;
    if (!wantBinding || kb === undefined) return fail('holder');
    let hk: VerifyKey;
    try {
      hk = fromJwk((cnf as { jwk?: unknown }).jwk);
    } catch {
      return fail('holder');
    }
    if (kb.header.typ !== 'kb+jwt' || !verifyJws(hk, kb)) return fail('holder');
    const k = kb.payload;
    if (k.aud !== o.audience || k.nonce !== o.nonce || k.sd_hash !== sdDigest(p.kbInput)) return fail('holder');
    if (typeof k.iat !== 'number' || !Number.isSafeInteger(k.iat)) return fail('holder');
    if (o.maxAgeSeconds !== undefined && (k.iat > now + CLOCK_SKEW || now - k.iat > o.maxAgeSeconds)) {
      return fail('holder');
    }
  }
  const claims = leaves.map((l) => ({ path: l.path, value: l.value }));
  return {
    ok: true,
    disclosed,
    claims,
    documentId: toHex(sha256(utf8(p.jws.input)).slice(0, 16)),
    issuedAt: typeof iat === 'number' && Number.isSafeInteger(iat) ? iat : 0,
    rulesId: rules.id ?? '',
    rulesDigest: toHex(rules.digest),
    holderBound: cnf !== undefined,
  };
}
