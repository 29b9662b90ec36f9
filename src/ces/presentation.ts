/**
 * A presentation: what a holder shows a verifier. It carries the signed header,
 * the signed rules, the disclosed submessages (each with its salt for the
 * commitment schemes), the scheme's proof (hidden commitments, Merkle siblings or
 * one aggregate BLS signature) and optionally a holder binding.
 *
 * Binary encoding, version 1: `0xCE || 0x02 || 1 || header varBytes || rules varBytes ||
 * entryCount u32 || entries (index u32 || salt || varBytes [path, value] JCS) ||
 * signature varBytes || hashCount u32 || hashes (32 each) || holder u8 (0/1)
 * [|| time u64 || audience string || nonce string || signature varBytes]`.
 *
 * @module ces
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { InvalidArgumentError, InvalidEncodingError } from '../errors.js';
import { fromUtf8, toHex, utf8 } from '../internal/bytes.js';
import { ByteWriter } from '../internal/codec.js';
import { taggedHash } from '../internal/tagged-hash.js';
import { decodeHeader, type Header, type SchemeName } from './internal/header.js';
import { type Body, type Entry, SCHEMES } from './internal/schemes.js';
import {
  fromWireJson,
  MAGIC,
  MAX_ENTRY_BYTES,
  MAX_PART_BYTES,
  MAX_WIRE_BYTES,
  openWire,
  parseEntry,
  TYPE_PRESENTATION,
  TYPE_SD_PRESENTATION,
  toWireJson,
  WIRE_VERSION,
  type WireJson,
} from './internal/wire.js';
import { SIG_LEN } from './keys.js';
import { RuleSet } from './rules.js';
import { parseSdJwt, type SdParsed, sdDigestCount } from './sd-jwt/present.js';
import type { ClaimsPath, JsonValue } from './types.js';

/** A decoded entry with its parsed path and value. Internal. */
export interface ParsedEntry extends Entry {
  readonly path: ClaimsPath;
  readonly value: JsonValue;
}

/** Holder binding: the holder's signature over (presentation digest, audience, nonce, time). */
export interface HolderBinding {
  readonly time: number;
  readonly audience: string;
  readonly nonce: string;
  readonly signature: Uint8Array;
}

/** Everything in a presentation. Internal. */
export interface PresentationParts {
  readonly header: Header;
  readonly headerBytes: Uint8Array;
  readonly rules: RuleSet;
  readonly entries: readonly ParsedEntry[];
  readonly body: Body;
  readonly holder: HolderBinding | undefined;
}

/** Build a presentation. Internal. */
export let makePresentation: (p: PresentationParts) => Presentation;
/** The parts of a presentation. Internal. */
export let presentationParts: (p: Presentation) => PresentationParts;
/** Build an `sd-jwt` presentation. Internal. */
export let makeSdPresentation: (p: SdParsed) => Presentation;
/** The decoded SD-JWT of an `sd-jwt` presentation, else undefined. Internal. */
export let sdPartsOf: (p: Presentation) => SdParsed | undefined;
/** Digest of a presentation without its holder binding. Internal. */
export let coreDigest: (p: PresentationParts) => Uint8Array;

const JSON_TYP = 'bpds-ces-presentation';
const MAX_TEXT = 1024;

function writeCore(p: PresentationParts): ByteWriter {
  const w = new ByteWriter()
    .u8(MAGIC)
    .u8(TYPE_PRESENTATION)
    .u8(WIRE_VERSION)
    .varBytes(p.headerBytes)
    .varBytes(p.rules.toBytes())
    .u32(p.entries.length);
  for (const e of p.entries) w.u32(e.index).bytes(e.salt).varBytes(e.bytes);
  w.varBytes(p.body.signature).u32(p.body.hashes.length);
  for (const h of p.body.hashes) w.bytes(h);
  return w;
}

/**
 * A presentation of disclosed fields (safe to send to verifiers).
 *
 * @example
 * ```ts
 * import { extract, Presentation, sign, SigningKey } from 'bpds/ces';
 * const record = { resourceType: 'Patient', gender: 'female', birthDate: '1970-01-01' };
 * const signed = sign(SigningKey.generate(), record);
 * const p = extract(signed, record, ['/resourceType', '/gender']);
 * const again = Presentation.fromJSON(JSON.stringify(p));
 * console.log(again.disclosedCount); // 2
 * ```
 */
export class Presentation {
  readonly #parts: PresentationParts | undefined;
  readonly #sd: SdParsed | undefined;

  private constructor(p: PresentationParts | undefined, sd?: SdParsed) {
    this.#parts = p;
    this.#sd = sd;
  }

  get #p(): PresentationParts {
    return this.#parts as PresentationParts;
  }

  /** The scheme of the underlying signature. */
  get scheme(): SchemeName {
    return this.#sd === undefined ? this.#p.header.scheme : 'sd-jwt';
  }
  /** Random 128-bit document id, hex (`sd-jwt`: the first 128 bits of SHA-256 of the issuer-signed JWT). */
  get documentId(): string {
    const sd = this.#sd;
    if (sd !== undefined) return toHex(sha256(utf8(sd.jws.input)).slice(0, 16));
    return toHex(this.#p.header.documentId);
  }
  /** Number of disclosed submessages (`sd-jwt`: disclosures). */
  get disclosedCount(): number {
    return this.#sd?.disclosures.length ?? this.#p.entries.length;
  }
  /** True when the signer bound the record to a holder key (`sd-jwt`: a `cnf` claim). */
  get holderBound(): boolean {
    const sd = this.#sd;
    return sd !== undefined ? sd.jws.payload.cnf !== undefined : this.#p.header.holderKey !== undefined;
  }
  /**
   * Number of committed submessages in the signed record, decoys included (so hidden = count -
   * disclosedCount, up to decoys). `sd-jwt`: the digests visible in the presentation (disclosed,
   * hidden and decoys; digests inside hidden disclosures are not visible).
   */
  get count(): number {
    const sd = this.#sd;
    if (sd === undefined) return this.#p.header.count;
    return sdDigestCount(sd);
  }
  /** The signed header bytes (a copy): what an index record's CES header digest covers (`sd-jwt`: the issuer-signed JWT). */
  get headerBytes(): Uint8Array {
    const sd = this.#sd;
    return sd !== undefined ? utf8(sd.compact.slice(0, sd.compact.indexOf('~'))) : this.#p.headerBytes.slice();
  }

  /**
   * The compact SD-JWT (`<JWT>~<disclosure>~…~[KB-JWT]`, RFC 9901) of an `sd-jwt` presentation.
   *
   * @throws InvalidArgumentError for a presentation of another scheme.
   */
  toSdJwt(): string {
    const sd = this.#sd;
    if (sd === undefined) throw new InvalidArgumentError(`a ${this.scheme} presentation is not an SD-JWT`);
    return sd.compact;
  }

  /**
   * Decode a compact SD-JWT or SD-JWT+KB (structure only; call `verify` for the rest).
   *
   * @throws InvalidEncodingError when it is not a well-formed SD-JWT.
   */
  static fromSdJwt(compact: string): Presentation {
    return new Presentation(undefined, parseSdJwt(compact));
  }

  /** Binary encoding. */
  toBytes(): Uint8Array {
    const sd = this.#sd;
    if (sd !== undefined) {
      return new ByteWriter().u8(MAGIC).u8(TYPE_SD_PRESENTATION).u8(WIRE_VERSION).varBytes(utf8(sd.compact)).finish();
    }
    const w = writeCore(this.#p);
    const h = this.#p.holder;
    if (h === undefined) w.u8(0);
    else {
      w.u8(1)
        .u32(Math.floor(h.time / 2 ** 32))
        .u32(h.time >>> 0)
        .string(h.audience)
        .string(h.nonce)
        .varBytes(h.signature);
    }
    return w.finish();
  }

  /** JSON encoding: `{ typ: 'bpds-ces-presentation', v: 1, data: base64url }`. */
  toJSON(): WireJson {
    return toWireJson(JSON_TYP, this.toBytes());
  }

  /**
   * Decode a presentation. Checks structure only; call `verify` for the signature and rules.
   *
   * @throws InvalidArgumentError when `bytes` is not a Uint8Array.
   * @throws InvalidEncodingError for any malformed, truncated, oversized or inconsistent encoding.
   */
  static fromBytes(bytes: Uint8Array): Presentation {
    if (bytes instanceof Uint8Array && bytes[1] === TYPE_SD_PRESENTATION) {
      const r = openWire(bytes, TYPE_SD_PRESENTATION, 'presentation');
      const compact = fromUtf8(r.varBytes('sd-jwt', MAX_WIRE_BYTES), 'sd-jwt');
      r.end();
      return Presentation.fromSdJwt(compact);
    }
    const r = openWire(bytes, TYPE_PRESENTATION, 'presentation');
    const headerBytes = r.varBytes('header', MAX_PART_BYTES).slice();
    const header = decodeHeader(headerBytes);
    const rules = RuleSet.fromBytes(r.varBytes('rules', MAX_PART_BYTES));
    const core = SCHEMES[header.scheme];
    const n = r.count('entry count', header.count);
    const entries: ParsedEntry[] = [];
    let prev = -1;
    for (let k = 0; k < n; k++) {
      const index = r.u32('entry index');
      if (index <= prev || index >= header.count) {
        throw new InvalidEncodingError('presentation: entry indices must ascend below the count');
      }
      prev = index;
      const salt = r.bytes(core.saltLen, 'salt').slice();
      const eb = r.varBytes('entry', MAX_ENTRY_BYTES).slice();
      const { path, value } = parseEntry(eb, 'presentation entry');
      entries.push({ index, salt, bytes: eb, path, value });
    }
    const signature = r.varBytes('signature', 128).slice();
    const expected = SIG_LEN[header.alg];
    if (signature.length !== expected) throw new InvalidEncodingError('presentation: bad signature length');
    core.checkPoint?.(signature, 'presentation: aggregate signature');
    const bounds = core.hashCount(header, n);
    const m = r.count('hash count', bounds.max);
    if (m < bounds.min) throw new InvalidEncodingError('presentation: too few hashes');
    const hashes: Uint8Array[] = [];
    for (let k = 0; k < m; k++) hashes.push(r.bytes(32, 'hash').slice());
    const flag = r.u8('holder flag');
    let holder: HolderBinding | undefined;
    if (flag === 1) {
      const hi = r.u32('time');
      if (hi >= 2 ** 21) throw new InvalidEncodingError('presentation: time out of range');
      const time = hi * 2 ** 32 + r.u32('time');
      const audience = r.string('audience', MAX_TEXT * 4);
      const nonce = r.string('nonce', MAX_TEXT * 4);
      const sig = r.varBytes('holder signature', 128).slice();
      holder = { time, audience, nonce, signature: sig };
    } else if (flag !== 0) throw new InvalidEncodingError('presentation: bad holder flag');
    r.end();
    return new Presentation({ header, headerBytes, rules, entries, body: { signature, hashes }, holder });
  }

  /**
   * Decode the JSON form (object or its text).
   *
   * @throws InvalidEncodingError for a malformed encoding.
   */
  static fromJSON(json: WireJson | string): Presentation {
    return Presentation.fromBytes(fromWireJson(json, JSON_TYP, 'presentation'));
  }

  static {
    makePresentation = (p) => new Presentation(p);
    presentationParts = (p) => p.#p;
    makeSdPresentation = (sd) => new Presentation(undefined, sd);
    sdPartsOf = (p) => p.#sd;
    coreDigest = (p) => taggedHash('bpds/v1/ces/presentation', writeCore(p).finish());
  }
}
