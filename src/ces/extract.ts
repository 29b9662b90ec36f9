/**
 * Extraction: Steinfeld–Bull–Zheng, "Content Extraction Signatures" (ICISC 2001),
 * the Extract algorithm of §4: from the full signature, the record and a selection
 * X allowed by the CEAS, compute an extracted signature on exactly the submessages
 * in X (commit-vector: salts of X and commitments of the rest; hash-tree: salts of X
 * and the minimal Merkle siblings; aggregate: the product of the shares of X).
 *
 * @module ces
 */
import { ExtractionNotAllowedError, InvalidArgumentError } from '../errors.js';
import { assertObject } from '../internal/assert.js';
import { equalBytes } from '../internal/bytes.js';
import { hasBit, tagOf } from './internal/commit.js';
import { bindingMessage, checkText } from './internal/holder.js';
import { relevant } from './internal/path.js';
import { resolveSelection, type Submessage, splitRecord } from './internal/record.js';
import { SCHEMES } from './internal/schemes.js';
import { isBlsAlgorithm, SigningKey, signWith } from './keys.js';
import {
  coreDigest,
  makePresentation,
  makeSdPresentation,
  type ParsedEntry,
  type Presentation,
} from './presentation.js';
import type { RuleSet } from './rules.js';
import type { SdSigned } from './sd-jwt/issue.js';
import { parseSdJwt, presentSdJwt, sdRecordDigest } from './sd-jwt/present.js';
import { slotDigest } from './sign.js';
import { partsOf, SignedRecord, sdOf } from './signed-record.js';
import type { JsonValue, PathInput } from './types.js';

/** Options of {@link extract}. */
export interface ExtractOptions {
  /**
   * Holder binding, required by verifiers when the signed header names a holder key:
   * the holder's key, the verifier's audience and nonce, and the time (Unix seconds,
   * default now).
   */
  readonly holder?: {
    readonly key: SigningKey;
    readonly audience: string;
    readonly nonce: string;
    readonly time?: number;
  };
}

/** The first rule broken by a selection of submessages (holder side: every path is known). */
export function brokenRule(rules: RuleSet, subs: readonly Submessage[], chosen: ReadonlySet<number>) {
  const full = rules.fullPatterns;
  const tags = subs.map((s) => tagOf(rules, s.path, s.container));
  return rules.check({
    disclosed: (p) => {
      for (const j of chosen) {
        const s = subs[j] as Submessage;
        if (relevant(p, s.path, s.container)) return true;
      }
      return false;
    },
    full: (i) => {
      if (i < 0 || i >= full.length) return false;
      return tags.every((t, j) => t === undefined || !hasBit(t, i) || chosen.has(j));
    },
  });
}

/** Checked holder options. */
function holderOptions(h: ExtractOptions['holder']) {
  if (h === undefined) return undefined;
  assertObject(h as unknown, 'options.holder');
  if (!(h.key instanceof SigningKey)) throw new InvalidArgumentError('"options.holder.key" expected a SigningKey');
  const audience = checkText(h.audience, 'options.holder.audience');
  const nonce = checkText(h.nonce, 'options.holder.nonce');
  const time = h.time ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(time) || time < 0) {
    throw new InvalidArgumentError('"options.holder.time" expected a non-negative integer');
  }
  return { key: h.key, audience, nonce, time };
}

/** The `sd-jwt` scheme: the disclosures of the selection (and their ancestors), then the KB-JWT. */
function extractSd(sd: SdSigned, record: JsonValue, selection: readonly PathInput[], options: ExtractOptions) {
  const subs = splitRecord(record, sd.units);
  if (!equalBytes(sdRecordDigest(record), sd.recordDigest)) {
    throw new InvalidArgumentError('"record" does not match the signed record');
  }
  const chosen = resolveSelection(record, subs, selection);
  const leaves = [...chosen].map((j) => {
    const s = subs[j] as Submessage;
    return { path: s.path, value: s.value };
  });
  const out = presentSdJwt(sd, leaves, holderOptions(options.holder));
  if (out.broken !== undefined) throw new ExtractionNotAllowedError(out.broken.message, out.broken.rule);
  return makeSdPresentation(parseSdJwt(out.compact));
}

/**
 * Extract a presentation of the fields in `selection` from a signed record.
 *
 * A selected path (claims-path array or JSON Pointer) discloses every submessage
 * under it; `[[]]` or `['']` discloses everything, `[]` nothing. The selection must obey the signed
 * extraction rules.
 *
 * @param signed - The holder's signed record.
 * @param record - The same record that was signed.
 * @param selection - Paths to disclose.
 * @throws InvalidArgumentError when `record` is not the signed record, a selected path is
 *   not in the record or points inside a unit, or the holder options are wrong.
 * @throws ExtractionNotAllowedError when the selection breaks a rule (`rule` names it).
 * @throws NotInitializedError for the `aggregate` scheme before `await init()`.
 * @example
 * ```ts
 * import { extract, sign, SigningKey } from 'bpds/ces';
 * const record = { resourceType: 'Patient', gender: 'female', birthDate: '1970-01-01' };
 * const signed = sign(SigningKey.generate(), record, { rules: { mandatory: ['/resourceType'] } });
 * const presentation = extract(signed, record, ['/resourceType', '/gender']);
 * console.log(presentation.disclosedCount); // 2
 * ```
 */
export function extract(
  signed: SignedRecord,
  record: JsonValue,
  selection: readonly PathInput[],
  options: ExtractOptions = {},
): Presentation {
  if (!(signed instanceof SignedRecord)) throw new InvalidArgumentError('"signed" expected a SignedRecord');
  assertObject(options as unknown, 'options');
  const sd = sdOf(signed);
  if (sd !== undefined) return extractSd(sd, record, selection, options);
  const p = partsOf(signed);
  const subs = splitRecord(record, p.units);
  // Map the record's submessages to the signed slots by path, then check the contents.
  const slotOfPath = new Map<string, number>();
  p.paths.forEach((path, i) => {
    if (path !== undefined) slotOfPath.set(JSON.stringify(path), i);
  });
  const mismatch = () => new InvalidArgumentError('"record" does not match the signed record');
  if (subs.length !== slotOfPath.size) throw mismatch();
  const subOfSlot: (Submessage | undefined)[] = Array.from({ length: p.header.count }, () => undefined);
  for (const s of subs) {
    const i = slotOfPath.get(JSON.stringify(s.path));
    if (i === undefined) throw mismatch();
    subOfSlot[i] = s;
  }
  if (!equalBytes(slotDigest(subOfSlot.map((s) => s?.bytes ?? null)), p.recordDigest)) throw mismatch();

  const chosen = resolveSelection(record, subs, selection);
  const broken = brokenRule(p.rules, subs, chosen);
  if (broken !== undefined) throw new ExtractionNotAllowedError(broken.message, broken.rule);

  const disclosed = new Set<number>();
  for (const j of chosen) disclosed.add(slotOfPath.get(JSON.stringify((subs[j] as Submessage).path)) as number);
  const core = SCHEMES[p.header.scheme];
  const body = core.present(p.header, p.signature, p.slots, (i) => (subOfSlot[i] as Submessage).bytes, disclosed);
  const entries: ParsedEntry[] = [...disclosed]
    .sort((a, b) => a - b)
    .map((index) => {
      const s = subOfSlot[index] as Submessage;
      const slot = p.slots[index];
      const salt = core.saltLen > 0 && slot?.real ? slot.secret : new Uint8Array(0);
      const value = s.container ? (structuredClone(s.value) as JsonValue) : s.value;
      return { index, salt, bytes: s.bytes, path: [...s.path], value };
    });
  const parts = { header: p.header, headerBytes: p.headerBytes, rules: p.rules, entries, body, holder: undefined };
  const h = options.holder;
  if (h === undefined) return makePresentation(parts);

  assertObject(h as unknown, 'options.holder');
  if (!(h.key instanceof SigningKey)) throw new InvalidArgumentError('"options.holder.key" expected a SigningKey');
  const hk = p.header.holderKey;
  if (hk === undefined) throw new InvalidArgumentError('"options.holder": the signed record names no holder key');
  if (isBlsAlgorithm(h.key.algorithm) || !h.key.verifyKey().equals(hk)) {
    throw new InvalidArgumentError('"options.holder.key" is not the holder key named in the signed record');
  }
  const audience = checkText(h.audience, 'options.holder.audience');
  const nonce = checkText(h.nonce, 'options.holder.nonce');
  const time = h.time ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(time) || time < 0) {
    throw new InvalidArgumentError('"options.holder.time" expected a non-negative integer');
  }
  const signature = signWith(h.key, bindingMessage(coreDigest(parts), audience, nonce, time));
  return makePresentation({ ...parts, holder: { time, audience, nonce, signature } });
}
