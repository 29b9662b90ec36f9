/**
 * The holder's full content extraction signature: the signed header, the rules,
 * the signature and every per-submessage secret (salts or BLS shares). Holder-only:
 * never show it to a verifier; extract a {@link Presentation} instead.
 *
 * Binary encoding, version 1: `0xCE || 0x01 || 1 || header varBytes || rules varBytes ||
 * unitCount u32 || units (varBytes JSON) || recordDigest 32 || signature varBytes ||
 * count × slot`, where a slot is `1 || path varBytes (JSON) || secret` or `0 || decoy`.
 * For the `sd-jwt` scheme: `0xCE || 0x03 || 1 || varBytes(issued SD-JWT <JWT>~<disclosure>~…~) ||
 * unitCount u32 || units (varBytes JSON)`.
 *
 * @module ces
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { InvalidEncodingError } from '../errors.js';
import { fromUtf8, toHex, utf8 } from '../internal/bytes.js';
import { ByteWriter } from '../internal/codec.js';
import { canonicalBytes } from '../internal/jcs.js';
import { maskLength } from './internal/commit.js';
import { decodeHeader, encodeHeader, type Header, type SchemeName } from './internal/header.js';
import { SCHEMES, type Slot } from './internal/schemes.js';
import {
  fromWireJson,
  MAGIC,
  MAX_PART_BYTES,
  MAX_WIRE_BYTES,
  openWire,
  parseJsonPath,
  TYPE_SD_SIGNED,
  TYPE_SIGNED,
  toWireJson,
  WIRE_VERSION,
  type WireJson,
} from './internal/wire.js';
import { SIG_LEN } from './keys.js';
import { MAX_RULE_PATTERNS, RuleSet } from './rules.js';
import type { SdSigned } from './sd-jwt/issue.js';
import { issuedCompact, parseIssued } from './sd-jwt/present.js';
import type { ClaimsPath, PathPattern } from './types.js';

/** Everything a signed record holds. Internal. */
export interface SignedParts {
  readonly header: Header;
  readonly headerBytes: Uint8Array;
  readonly rules: RuleSet;
  readonly units: readonly PathPattern[];
  /** Digest of the slot contents, to check at extraction that the record is the signed one. */
  readonly recordDigest: Uint8Array;
  readonly signature: Uint8Array;
  readonly slots: readonly Slot[];
  /** Path of each real slot (undefined for decoys). */
  readonly paths: readonly (ClaimsPath | undefined)[];
}

/** Build a signed record. Internal. */
export let makeSigned: (p: SignedParts) => SignedRecord;
/** The parts of a signed record (throws for the `sd-jwt` scheme). Internal. */
export let partsOf: (s: SignedRecord) => SignedParts;
/** Build an `sd-jwt` signed record. Internal. */
export let makeSdSigned: (p: SdSigned) => SignedRecord;
/** The SD-JWT of an `sd-jwt` signed record, else undefined. Internal. */
export let sdOf: (s: SignedRecord) => SdSigned | undefined;

const JSON_TYP = 'bpds-ces-signed';

/**
 * A signed record (holder-only).
 *
 * @example
 * ```ts
 * import { sign, SignedRecord, SigningKey } from 'bpds/ces';
 * const hospital = SigningKey.generate();
 * const signed = sign(hospital, { resourceType: 'Patient', gender: 'female' });
 * const again = SignedRecord.fromBytes(signed.toBytes());
 * console.log(again.scheme, again.count); // 'commit-vector' 2
 * ```
 */
export class SignedRecord {
  readonly #p: SignedParts | undefined;
  readonly #sd: SdSigned | undefined;

  private constructor(p: SignedParts | undefined, sd?: SdSigned) {
    this.#p = p;
    this.#sd = sd;
  }

  get #ces(): SignedParts {
    return this.#p as SignedParts;
  }

  /** The scheme that produced this signature. */
  get scheme(): SchemeName {
    return this.#sd === undefined ? this.#ces.header.scheme : 'sd-jwt';
  }
  /** Random 128-bit document id, hex (`sd-jwt`: the first 128 bits of SHA-256 of the issuer-signed JWT). */
  get documentId(): string {
    const sd = this.#sd;
    if (sd !== undefined) return toHex(sha256(utf8(sd.jwt.slice(0, sd.jwt.lastIndexOf('.')))).slice(0, 16));
    return toHex(this.#ces.header.documentId);
  }
  /** Number of committed submessages, decoys included (`sd-jwt`: digests, decoys included). */
  get count(): number {
    return this.#sd?.digests ?? this.#ces.header.count;
  }
  /** Issue time, Unix seconds. */
  get issuedAt(): number {
    return this.#sd?.issuedAt ?? this.#ces.header.issuedAt;
  }
  /** The signed extraction rules. */
  get rules(): RuleSet {
    return this.#sd?.rules ?? this.#ces.rules;
  }
  /** The signed header bytes (a copy): what an index record's CES header digest covers (`sd-jwt`: the issuer-signed JWT). */
  get headerBytes(): Uint8Array {
    const sd = this.#sd;
    return sd !== undefined ? utf8(sd.jwt) : this.#ces.headerBytes.slice();
  }

  /** Binary encoding (holder-only: it contains every salt). */
  toBytes(): Uint8Array {
    const sd = this.#sd;
    if (sd !== undefined) {
      const w = new ByteWriter()
        .u8(MAGIC)
        .u8(TYPE_SD_SIGNED)
        .u8(WIRE_VERSION)
        .varBytes(utf8(issuedCompact(sd)))
        .u32(sd.units.length);
      for (const u of sd.units) w.varBytes(canonicalBytes(u));
      return w.finish();
    }
    const p = this.#ces;
    const w = new ByteWriter()
      .u8(MAGIC)
      .u8(TYPE_SIGNED)
      .u8(WIRE_VERSION)
      .varBytes(p.headerBytes)
      .varBytes(p.rules.toBytes())
      .u32(p.units.length);
    for (const u of p.units) w.varBytes(canonicalBytes(u));
    w.bytes(p.recordDigest).varBytes(p.signature);
    p.slots.forEach((s, i) => {
      if (s.real) w.u8(1).varBytes(canonicalBytes(p.paths[i])).bytes(s.secret);
      else w.u8(0).bytes(s.decoy);
    });
    return w.finish();
  }

  /** JSON encoding: `{ typ: 'bpds-ces-signed', v: 1, data: base64url }`. */
  toJSON(): WireJson {
    return toWireJson(JSON_TYP, this.toBytes());
  }

  /**
   * Decode a signed record.
   *
   * @throws InvalidArgumentError when `bytes` is not a Uint8Array.
   * @throws InvalidEncodingError for any malformed, truncated, oversized or inconsistent encoding.
   * @throws NotInitializedError for an aggregate record before `init()`.
   */
  static fromBytes(bytes: Uint8Array): SignedRecord {
    if (bytes instanceof Uint8Array && bytes[1] === TYPE_SD_SIGNED) {
      const r = openWire(bytes, TYPE_SD_SIGNED, 'signed record');
      const compact = fromUtf8(r.varBytes('sd-jwt', MAX_WIRE_BYTES), 'sd-jwt');
      const nUnits = r.count('unit count', MAX_RULE_PATTERNS);
      const units: PathPattern[] = [];
      for (let i = 0; i < nUnits; i++) units.push(parseJsonPath(r.varBytes('unit', MAX_PART_BYTES), 'unit', true));
      r.end();
      return new SignedRecord(undefined, parseIssued(compact, units));
    }
    const r = openWire(bytes, TYPE_SIGNED, 'signed record');
    const headerBytes = r.varBytes('header', MAX_PART_BYTES).slice();
    const header = decodeHeader(headerBytes);
    const rules = RuleSet.fromBytes(r.varBytes('rules', MAX_PART_BYTES));
    if (!equalDigest(rules, header)) throw new InvalidEncodingError('signed record: rules do not match the header');
    const nUnits = r.count('unit count', MAX_RULE_PATTERNS);
    const units: PathPattern[] = [];
    for (let i = 0; i < nUnits; i++) units.push(parseJsonPath(r.varBytes('unit', MAX_PART_BYTES), 'unit', true));
    const recordDigest = r.bytes(32, 'recordDigest').slice();
    const signature = r.varBytes('signature', 128).slice();
    const core = SCHEMES[header.scheme];
    const expected = SIG_LEN[header.alg];
    if (signature.length !== expected) throw new InvalidEncodingError('signed record: bad signature length');
    core.checkPoint?.(signature, 'signed record: aggregate signature');
    const slots: Slot[] = [];
    const paths: (ClaimsPath | undefined)[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < header.count; i++) {
      const kind = r.u8('slot kind');
      if (kind === 1) {
        const path = parseJsonPath(r.varBytes('slot path', MAX_PART_BYTES), 'slot path', false) as ClaimsPath;
        const key = JSON.stringify(path);
        if (seen.has(key)) throw new InvalidEncodingError('signed record: duplicate slot path');
        seen.add(key);
        paths.push(path);
        const secret = r.bytes(core.secretLen, 'slot secret').slice();
        core.checkPoint?.(secret, 'signed record: aggregate share');
        slots.push({ real: true, secret });
      } else if (kind === 0) {
        paths.push(undefined);
        slots.push({ real: false, decoy: r.bytes(core.decoyLen, 'decoy').slice() });
      } else throw new InvalidEncodingError('signed record: bad slot kind');
    }
    r.end();
    if (seen.size === 0) throw new InvalidEncodingError('signed record: no submessage');
    return new SignedRecord({ header, headerBytes, rules, units, recordDigest, signature, slots, paths });
  }

  /**
   * Decode the JSON form (object or its text).
   *
   * @throws InvalidEncodingError for a malformed encoding.
   */
  static fromJSON(json: WireJson | string): SignedRecord {
    return SignedRecord.fromBytes(fromWireJson(json, JSON_TYP, 'signed record'));
  }

  static {
    makeSigned = (p) => new SignedRecord(p);
    partsOf = (s) => s.#ces;
    makeSdSigned = (sd) => new SignedRecord(undefined, sd);
    sdOf = (s) => s.#sd;
  }
}

function equalDigest(rules: RuleSet, header: Header): boolean {
  const d = rules.digest;
  return (
    d.every((x, i) => x === header.rulesDigest[i]) &&
    (rules.id ?? '') === header.rulesId &&
    maskLength(rules) === header.maskLen
  );
}

/** Re-exported for sign. Internal. */
export { encodeHeader, equalDigest as rulesMatchHeader };
