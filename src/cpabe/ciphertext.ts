/**
 * Parsed CP-ABE ciphertexts. Two kinds share one layout:
 *
 *     prefix  = "bpds" | kind | version | scheme | curve | u32 len | canonical policy (UTF-8)
 *     abe     = the scheme's components for every LSSS row of the policy (fixed sizes)
 *     hybrid (kind 4): header = prefix | abe | C_sigma (32 bytes); then AES-256-GCM payload (>= 16 bytes)
 *     KEM    (kind 5): prefix | abe, nothing after
 *
 * `Ciphertext.fromBytes` validates everything that can be validated without a key:
 * framing, canonical policy, every point on the curve and in its subgroup, exact length.
 */
import { InvalidEncodingError } from '../errors.js';
import { assertBytes, assertString } from '../internal/assert.js';
import { ByteReader } from '../internal/codec.js';
import { fromJsonForm, type JsonForm, toJsonForm } from '../internal/json-form.js';
import type { CurveName } from '../pairing/index.js';
import { ARMOR_LABEL, armor, curveOfEncoding, dearmor, readHeader } from './internal/format.js';
import { MAX_POLICY_BYTES, type PreparedPolicy, policyFromHeader } from './internal/policy-bridge.js';
import type { SchemeName } from './scheme.js';
import type { AnyCore } from './schemes/index.js';

/** Size of the masked FO seed C_sigma. */
export const SIGMA_BYTES = 32;
/** Size of the AES-GCM tag. */
export const TAG_BYTES = 16;

interface CtInner {
  readonly core: AnyCore;
  readonly kind: 'hybrid' | 'kem';
  readonly prepared: PreparedPolicy;
  readonly ct: unknown;
  readonly bytes: Uint8Array;
  readonly prefixEnd: number;
  readonly abeEnd: number;
  readonly headerEnd: number;
}

const store = new WeakMap<object, CtInner>();

/** @internal */
export function ciphertextInner(c: Ciphertext): CtInner {
  return store.get(c) as CtInner;
}

/** Read framing and policy: the cheap part (no point decoding). @internal */
export function readPrefix(bytes: Uint8Array): {
  r: ByteReader;
  core: AnyCore;
  kind: 'hybrid' | 'kem';
  text: string;
} {
  const r = new ByteReader(bytes, 'CP-ABE ciphertext');
  const h = readHeader(r, ['ciphertext', 'encapsulation']);
  const text = r.string('policy', MAX_POLICY_BYTES);
  return { r, core: h.core, kind: h.kind === 'ciphertext' ? 'hybrid' : 'kem', text };
}

/**
 * A parsed, validated CP-ABE ciphertext (hybrid `encrypt` output or `encapsulate`
 * encapsulation). Exposes the public header: scheme, policy and sizes.
 *
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { Ciphertext, encrypt, setup } from 'bpds/cpabe';
 * await init();
 * const { publicKey } = setup();
 * const bytes = await encrypt(publicKey, 'cardiology and (doctor or nurse)', new Uint8Array([1, 2, 3]));
 * const ct = Ciphertext.fromBytes(bytes);
 * console.log(ct.scheme, ct.policy, ct.rows); // 'fame' 'cardiology and (doctor or nurse)' 3
 * ```
 */
export class Ciphertext {
  private constructor() {}

  /** `'hybrid'` for `encrypt` output, `'kem'` for a CPA `encapsulate` encapsulation. */
  get kind(): 'hybrid' | 'kem' {
    return ciphertextInner(this).kind;
  }
  /** The scheme that produced it. */
  get scheme(): SchemeName {
    return ciphertextInner(this).core.name;
  }
  /** The pairing curve it was made on (`'bn254'` or `'bls12-381'`). */
  get curve(): CurveName {
    return curveOfEncoding(ciphertextInner(this).bytes);
  }
  /** The access policy in canonical text. */
  get policy(): string {
    return ciphertextInner(this).prepared.text;
  }
  /** Number of LSSS rows (policy leaves after numeric expansion). */
  get rows(): number {
    return ciphertextInner(this).prepared.lsss.rowLabels.length;
  }
  /** Total size in bytes. */
  get byteLength(): number {
    return ciphertextInner(this).bytes.length;
  }
  /** Size of the scheme's components (the ABE part) in bytes. */
  get abeBytes(): number {
    const c = ciphertextInner(this);
    return c.abeEnd - c.prefixEnd;
  }
  /** Size of the header (everything authenticated as AES-GCM associated data) in bytes. */
  get headerBytes(): number {
    return ciphertextInner(this).headerEnd;
  }
  /** Size of the AES-GCM payload (encrypted plaintext plus 16-byte tag); 0 for a KEM encapsulation. */
  get payloadBytes(): number {
    const c = ciphertextInner(this);
    return c.bytes.length - c.headerEnd;
  }

  /** The encoding (a copy). */
  toBytes(): Uint8Array {
    return ciphertextInner(this).bytes.slice();
  }

  /** PEM-style text: `-----BEGIN BPDS CPABE CIPHERTEXT-----` (or `ENCAPSULATION`). */
  toArmored(): string {
    const c = ciphertextInner(this);
    return armor(c.kind === 'hybrid' ? ARMOR_LABEL.ciphertext : ARMOR_LABEL.encapsulation, c.bytes);
  }

  /**
   * The JSON form, `{ "typ": "bpds-cpabe-ciphertext", "v": 1, "data": base64url(toBytes()) }`
   * (hybrid ciphertexts and KEM encapsulations alike: the bytes say which).
   */
  toJSON(): JsonForm {
    return toJsonForm('bpds-cpabe-ciphertext', ciphertextInner(this).bytes);
  }

  /**
   * Parse and validate the JSON form of {@link Ciphertext.toJSON} (the object or its text).
   * @throws {InvalidEncodingError} on another type or version, or a malformed ciphertext.
   * @throws {NotInitializedError} before `await init()`.
   */
  static fromJSON(json: JsonForm | string): Ciphertext {
    return Ciphertext.fromBytes(fromJsonForm(json, 'bpds-cpabe-ciphertext', 'CP-ABE ciphertext'));
  }

  /**
   * Parse and validate an untrusted ciphertext or encapsulation.
   * @throws {InvalidArgumentError} when `bytes` is not a Uint8Array.
   * @throws {InvalidEncodingError} on bad framing, unknown version/scheme/curve, non-canonical
   *   policy, invalid points, wrong length or trailing bytes.
   * @throws {NotInitializedError} before `await init()`.
   */
  static fromBytes(bytes: Uint8Array): Ciphertext {
    return parseCiphertext(bytes, false);
  }

  /**
   * Parse armored text from {@link Ciphertext.toArmored}.
   * @throws {InvalidEncodingError} on malformed armor or ciphertext.
   */
  static fromArmored(text: string): Ciphertext {
    assertString(text, 'text', 1 << 30);
    const kem = text.includes(ARMOR_LABEL.encapsulation);
    const c = Ciphertext.fromBytes(dearmor(kem ? ARMOR_LABEL.encapsulation : ARMOR_LABEL.ciphertext, text));
    if ((c.kind === 'kem') !== kem) throw new InvalidEncodingError('armor: label does not match the encoded kind');
    return c;
  }
}

/**
 * {@link Ciphertext.fromBytes}, and for hybrid `decrypt` only (`forCcaCheck`): a hybrid
 * ciphertext whose scheme compares some G2 components exactly in its CCA check may leave their
 * subgroup test to that check (SchemeCore.readCiphertext). The object never leaves `decrypt`.
 * @internal
 */
export function parseCiphertext(bytes: Uint8Array, forCcaCheck: boolean): Ciphertext {
  assertBytes(bytes, 'bytes');
  const copy = bytes.slice();
  const { r, core, kind, text } = readPrefix(copy);
  const prepared = policyFromHeader(text, 'CP-ABE ciphertext');
  const prefixEnd = copy.length - r.remaining;
  const ct = core.readCiphertext(r, prepared.lsss.rowLabels.length, { forCcaCheck: forCcaCheck && kind === 'hybrid' });
  const abeEnd = copy.length - r.remaining;
  let headerEnd = abeEnd;
  if (kind === 'hybrid') {
    r.bytes(SIGMA_BYTES, 'C_sigma');
    headerEnd = copy.length - r.remaining;
    if (r.remaining < TAG_BYTES) throw new InvalidEncodingError('CP-ABE ciphertext: truncated payload');
  } else {
    r.end();
  }
  const c = Object.create(Ciphertext.prototype) as Ciphertext;
  store.set(c, { core, kind, prepared, ct, bytes: copy, prefixEnd, abeEnd, headerEnd });
  return Object.freeze(c);
}
