/**
 * Verification: Steinfeld–Bull–Zheng, "Content Extraction Signatures" (ICISC 2001),
 * the Verify algorithm of §4: check the signer's signature on exactly the disclosed
 * submessages and that the disclosed index set is allowed by the signed CEAS (here:
 * the signed extraction rules), then the optional holder binding.
 *
 * @module ces
 */
import { InvalidArgumentError } from '../errors.js';
import { assertInteger, assertObject } from '../internal/assert.js';
import { equalBytes, toHex } from '../internal/bytes.js';
import { hasBit, tagOf } from './internal/commit.js';
import type { SchemeName } from './internal/header.js';
import { bindingMessage, checkText } from './internal/holder.js';
import { relevant } from './internal/path.js';
import { assemble, comparePaths } from './internal/record.js';
import { SCHEMES } from './internal/schemes.js';
import type { WireJson } from './internal/wire.js';
import { VerifyKey, verifyWith } from './keys.js';
import { coreDigest, Presentation, presentationParts, sdPartsOf } from './presentation.js';
import { type ExtractionRules, RuleSet } from './rules.js';
import { verifySdJwt } from './sd-jwt/verify.js';
import { rulesMatchHeader } from './signed-record.js';
import type { DisclosedClaim, JsonValue } from './types.js';

/** Options of {@link verify}. */
export interface VerifyOptions {
  /** Expected audience of a holder binding (give it with `nonce`). */
  readonly audience?: string;
  /** Expected nonce of a holder binding (give it with `audience`). */
  readonly nonce?: string;
  /** Pin the rule set: the presentation must carry exactly these rules. */
  readonly rules?: ExtractionRules | RuleSet;
  /** Reject holder bindings older than this many seconds (needs a holder binding). */
  readonly maxAgeSeconds?: number;
  /** Current time in Unix seconds for `maxAgeSeconds` (default: now). */
  readonly now?: number;
}

/** Why a well-formed presentation was rejected (`expired`: an SD-JWT's `exp` or `nbf`). */
export type VerifyFailure = 'key' | 'signature' | 'rules' | 'structure' | 'holder' | 'expired';

/** The outcome of {@link verify}. */
export type VerifyResult =
  | {
      readonly valid: true;
      /** The disclosed JSON: hidden parts are absent; disclosed array elements keep their order, compacted. `undefined` when nothing is disclosed. */
      readonly disclosed: JsonValue | undefined;
      /** Each disclosed submessage with its original claims path, sorted by path (array indices numerically). */
      readonly claims: readonly DisclosedClaim[];
      readonly scheme: SchemeName;
      /** Random 128-bit document id, hex. */
      readonly documentId: string;
      /** Issue time, Unix seconds. */
      readonly issuedAt: number;
      /** Id of the signed rule set (may be empty). */
      readonly rulesId: string;
      /** Digest of the signed rule set, hex. */
      readonly rulesDigest: string;
      /** True when the holder binding was checked. */
      readonly holderBound: boolean;
    }
  | { readonly valid: false; readonly reason: VerifyFailure };

const fail = (reason: VerifyFailure): VerifyResult => ({ valid: false, reason });

function toPresentation(p: unknown): Presentation {
  if (p instanceof Presentation) return p;
  if (p instanceof Uint8Array) return Presentation.fromBytes(p);
  if (typeof p === 'string' && !p.trimStart().startsWith('{')) return Presentation.fromSdJwt(p);
  if (typeof p === 'string' || (typeof p === 'object' && p !== null)) return Presentation.fromJSON(p as WireJson);
  throw new InvalidArgumentError('"presentation" expected a Presentation, its bytes or its JSON form');
}

/**
 * Verify a presentation against the signer's public key.
 *
 * Contract: malformed input (undecodable bytes or JSON, invalid points) throws
 * `InvalidEncodingError`; a well-formed presentation that is wrong in any way (forged
 * or changed value, moved path, added field, wrong key, changed header or rules,
 * selection outside the rules, missing or replayed holder binding) returns
 * `{ valid: false, reason }` and never throws. When the signed header names a holder
 * key, the presentation is valid only if `options.audience` and `options.nonce` are
 * given and match the holder binding; when it names none, giving them makes
 * verification fail (the verifier asked for a binding that cannot exist).
 *
 * @param verifyKey - The signer's public key.
 * @param presentation - A {@link Presentation}, its bytes, its JSON form (object or text), or
 *   for the `sd-jwt` scheme the compact SD-JWT `<JWT>~<disclosure>~…~[KB-JWT]` (RFC 9901),
 *   including SD-JWTs issued by other implementations (then without rules).
 * @throws InvalidEncodingError for malformed input.
 * @throws InvalidArgumentError for wrong argument types.
 * @throws NotInitializedError for the `aggregate` scheme before `await init()`.
 * @example
 * ```ts
 * import { extract, sign, SigningKey, verify } from 'bpds/ces';
 * const hospital = SigningKey.generate();
 * const record = { resourceType: 'Patient', gender: 'female', birthDate: '1970-01-01' };
 * const p = extract(sign(hospital, record), record, ['/gender']);
 * const result = verify(hospital.verifyKey(), p.toBytes());
 * if (result.valid) console.log(result.disclosed); // { gender: 'female' }
 * ```
 */
export function verify(
  verifyKey: VerifyKey,
  presentation: Presentation | Uint8Array | WireJson | string,
  options: VerifyOptions = {},
): VerifyResult {
  if (!(verifyKey instanceof VerifyKey)) throw new InvalidArgumentError('"verifyKey" expected a VerifyKey');
  assertObject(options as unknown, 'options');
  const wantBinding = options.audience !== undefined || options.nonce !== undefined;
  if (wantBinding) {
    checkText(options.audience, 'options.audience');
    checkText(options.nonce, 'options.nonce');
  }
  if (options.maxAgeSeconds !== undefined) assertInteger(options.maxAgeSeconds, 'options.maxAgeSeconds');
  if (options.now !== undefined) assertInteger(options.now, 'options.now');
  const pinned = options.rules === undefined ? undefined : RuleSet.from(options.rules);
  const pres = toPresentation(presentation);
  const sd = sdPartsOf(pres);
  if (sd !== undefined) {
    const v = verifySdJwt(verifyKey, sd, {
      audience: options.audience,
      nonce: options.nonce,
      pinned,
      maxAgeSeconds: options.maxAgeSeconds,
      now: options.now,
    });
    if (!v.ok) return fail(v.reason);
    const { ok: _, ...rest } = v;
    return { valid: true, scheme: 'sd-jwt', ...rest, claims: rest.claims.sort((a, b) => comparePaths(a.path, b.path)) };
  }
  const p = presentationParts(pres);
  const { header, rules, entries } = p;

  if (verifyKey.algorithm !== header.alg) return fail('key');
  if (pinned !== undefined && !equalBytes(pinned.digest, rules.digest)) return fail('rules');
  if (!rulesMatchHeader(rules, header)) return fail('rules');

  // The signature first: its cost is linear in the presentation, while the rule checks
  // below may be quadratic in the (then signer-controlled) rules and entries.
  if (!SCHEMES[header.scheme].verify(verifyKey, p.headerBytes, header, entries, p.body)) return fail('signature');

  // Rule tags of disclosed entries must be those the signer recorded.
  const zero = new Uint8Array(header.maskLen);
  for (const e of entries) {
    const container = typeof e.value === 'object' && e.value !== null;
    const t = tagOf(rules, e.path, container) ?? zero;
    if (!equalBytes(t, header.tags.get(e.index) ?? zero)) return fail('rules');
  }
  const claims: DisclosedClaim[] = entries
    .map((e) => ({ path: e.path, value: e.value }))
    .sort((a, b) => comparePaths(a.path, b.path));
  const assembled = assemble(claims);
  if (assembled === null) return fail('structure');

  const shown = new Set(entries.map((e) => e.index));
  const broken = rules.check({
    disclosed: (pat) => entries.some((e) => relevant(pat, e.path, typeof e.value === 'object' && e.value !== null)),
    full: (i) => {
      for (const [index, m] of header.tags) if (hasBit(m, i) && !shown.has(index)) return false;
      return true;
    },
  });
  if (broken !== undefined) return fail('rules');

  // Holder binding.
  const hk = header.holderKey;
  if (hk === undefined) {
    if (wantBinding || p.holder !== undefined) return fail('holder');
  } else {
    const h = p.holder;
    if (!wantBinding || h === undefined) return fail('holder');
    if (h.audience !== options.audience || h.nonce !== options.nonce) return fail('holder');
    if (options.maxAgeSeconds !== undefined) {
      const now = options.now ?? Math.floor(Date.now() / 1000);
      if (h.time > now + 60 || now - h.time > options.maxAgeSeconds) return fail('holder');
    }
    if (!verifyWith(hk, h.signature, bindingMessage(coreDigest(p), h.audience, h.nonce, h.time))) {
      return fail('holder');
    }
  }
  return {
    valid: true,
    disclosed: assembled.value,
    claims,
    scheme: header.scheme,
    documentId: toHex(header.documentId),
    issuedAt: header.issuedAt,
    rulesId: header.rulesId,
    rulesDigest: toHex(header.rulesDigest),
    holderBound: hk !== undefined,
  };
}
