/**
 * CP-ABE key objects: {@link PublicKey}, {@link MasterKey} and {@link SecretKey}.
 * Each wraps one scheme's components (kept out of reach in a module-private
 * WeakMap) and encodes as `"bpds" | kind | version | scheme | curve | body`, or as
 * PEM-style armored text. A master key and a secret key embed their public key.
 */
import { InvalidArgumentError, InvalidEncodingError } from '../errors.js';
import { assertBytes, assertString, describe } from '../internal/assert.js';
import { ByteReader, ByteWriter } from '../internal/codec.js';
import { fromJsonForm, type JsonForm, refuseJson, toJsonForm } from '../internal/json-form.js';
import type { CurveName } from '../pairing/index.js';
import { ARMOR_LABEL, armor, curveOfEncoding, dearmor, readHeader, writeHeader } from './internal/format.js';
import { publicKeyDigest } from './internal/kdf.js';
import { keyLabels } from './internal/policy-bridge.js';
import type { SchemeName } from './scheme.js';
import type { AnyCore } from './schemes/index.js';

/** Limits on decoded keys. */
const MAX_PUBLIC_KEY_BYTES = 1 << 20;
const MAX_ATTRIBUTES = 4096;
const MAX_ATTRIBUTE_BYTES = 4096;

interface PkInner {
  readonly core: AnyCore;
  readonly pk: unknown;
  readonly bytes: Uint8Array;
  readonly digest: Uint8Array;
}
interface MkInner {
  readonly core: AnyCore;
  readonly publicKey: PublicKey;
  readonly mk: unknown;
}
interface SkInner {
  readonly core: AnyCore;
  readonly publicKey: PublicKey;
  readonly sk: unknown;
  readonly attributes: readonly string[];
}

const pkStore = new WeakMap<object, PkInner>();
const mkStore = new WeakMap<object, MkInner>();
const skStore = new WeakMap<object, SkInner>();

function inner<T>(store: WeakMap<object, T>, v: unknown, name: string, type: string): T {
  const x = typeof v === 'object' && v !== null ? store.get(v) : undefined;
  if (x === undefined) throw new InvalidArgumentError(`"${name}" expected ${type}, got ${describe(v)}`);
  return x;
}

/** @internal The components of a public key (throws InvalidArgumentError naming `name`). */
export const publicKeyInner = (v: unknown, name = 'publicKey'): PkInner => inner(pkStore, v, name, 'PublicKey');
/** @internal */
export const masterKeyInner = (v: unknown, name = 'masterKey'): MkInner => inner(mkStore, v, name, 'MasterKey');
/** @internal */
export const secretKeyInner = (v: unknown, name = 'secretKey'): SkInner => inner(skStore, v, name, 'SecretKey');

/**
 * A CP-ABE public key: what encryptors need. Safe to publish.
 *
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { PublicKey, setup } from 'bpds/cpabe';
 * await init();
 * const { publicKey } = setup({ scheme: 'fame' });
 * const again = PublicKey.fromArmored(publicKey.toArmored());
 * console.log(again.scheme); // 'fame'
 * ```
 */
export class PublicKey {
  private constructor() {}

  /** The scheme this key belongs to. */
  get scheme(): SchemeName {
    return publicKeyInner(this, 'this').core.name;
  }

  /** The pairing curve of this key (`'bn254'` or `'bls12-381'`): the one `init()` loaded. */
  get curve(): CurveName {
    return curveOfEncoding(publicKeyInner(this, 'this').bytes);
  }

  /** The versioned binary encoding. */
  toBytes(): Uint8Array {
    return publicKeyInner(this, 'this').bytes.slice();
  }

  /** PEM-style text: `-----BEGIN BPDS CPABE PUBLIC KEY-----`. */
  toArmored(): string {
    return armor(ARMOR_LABEL.publicKey, publicKeyInner(this, 'this').bytes);
  }

  /**
   * The JSON form, `{ "typ": "bpds-cpabe-public-key", "v": 1, "data": base64url(toBytes()) }`,
   * so `JSON.stringify` keeps the key.
   */
  toJSON(): JsonForm {
    return toJsonForm('bpds-cpabe-public-key', publicKeyInner(this, 'this').bytes);
  }

  /**
   * Decode the JSON form of {@link PublicKey.toJSON} (the object or its text).
   * @throws {InvalidEncodingError} on another type or version, or a malformed key.
   * @throws {NotInitializedError} before `await init()`.
   */
  static fromJSON(json: JsonForm | string): PublicKey {
    return PublicKey.fromBytes(fromJsonForm(json, 'bpds-cpabe-public-key', 'CP-ABE public key'));
  }

  /**
   * Decode and validate a public key (points on the curve and in the subgroup, GT
   * elements in the order-r subgroup, no trailing bytes).
   * @throws {InvalidArgumentError} when `bytes` is not a Uint8Array.
   * @throws {InvalidEncodingError} on any malformed input.
   * @throws {NotInitializedError} before `await init()`.
   */
  static fromBytes(bytes: Uint8Array): PublicKey {
    assertBytes(bytes, 'bytes');
    const r = new ByteReader(bytes, 'CP-ABE public key');
    const { core } = readHeader(r, 'publicKey');
    const pk = core.readPublicKey(r);
    r.end();
    return makePublicKey(core, pk, bytes.slice());
  }

  /**
   * Decode armored text from {@link PublicKey.toArmored}.
   * @throws {InvalidArgumentError} when `text` is not a string.
   * @throws {InvalidEncodingError} on malformed armor or key.
   */
  static fromArmored(text: string): PublicKey {
    assertString(text, 'text', 1 << 24);
    return PublicKey.fromBytes(dearmor(ARMOR_LABEL.publicKey, text));
  }
}

/**
 * A CP-ABE master key: the authority's secret, used by `keygen`. It embeds the public key.
 *
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { MasterKey, setup } from 'bpds/cpabe';
 * await init();
 * const { masterKey } = setup();
 * const restored = MasterKey.fromBytes(masterKey.toBytes());
 * console.log(restored.publicKey.scheme); // 'fame'
 * ```
 */
export class MasterKey {
  private constructor() {}

  /** The scheme this key belongs to. */
  get scheme(): SchemeName {
    return masterKeyInner(this, 'this').core.name;
  }

  /** The public key of this master key. */
  get publicKey(): PublicKey {
    return masterKeyInner(this, 'this').publicKey;
  }

  /** The pairing curve of this key. */
  get curve(): CurveName {
    return masterKeyInner(this, 'this').publicKey.curve;
  }

  /** The versioned binary encoding (secret: store it encrypted). */
  toBytes(): Uint8Array {
    const { core, publicKey, mk } = masterKeyInner(this, 'this');
    const w = new ByteWriter();
    writeHeader(w, 'masterKey', core);
    w.varBytes(publicKeyInner(publicKey).bytes);
    core.writeMasterKey(w, mk);
    return w.finish();
  }

  /** PEM-style text: `-----BEGIN BPDS CPABE MASTER KEY-----`. */
  toArmored(): string {
    return armor(ARMOR_LABEL.masterKey, this.toBytes());
  }

  /**
   * A master key has no JSON form: `JSON.stringify` throws rather than write the secret
   * (or `{}`). Export it explicitly with {@link MasterKey.toBytes} or {@link MasterKey.toArmored}.
   * @throws {InvalidArgumentError} always.
   */
  toJSON(): never {
    return refuseJson('a CP-ABE master key');
  }

  /**
   * Decode and validate a master key.
   * @throws {InvalidArgumentError} when `bytes` is not a Uint8Array.
   * @throws {InvalidEncodingError} on any malformed input, a scheme mismatch with the embedded public key,
   *   or master secrets that do not match the embedded public key (every scheme recomputes its public key).
   */
  static fromBytes(bytes: Uint8Array): MasterKey {
    assertBytes(bytes, 'bytes');
    const r = new ByteReader(bytes, 'CP-ABE master key');
    const { core } = readHeader(r, 'masterKey');
    const publicKey = PublicKey.fromBytes(r.varBytes('public key', MAX_PUBLIC_KEY_BYTES));
    if (publicKey.scheme !== core.name)
      throw new InvalidEncodingError('CP-ABE master key: embedded public key scheme mismatch');
    const mk = core.readMasterKey(r);
    r.end();
    if (core.validateMasterKey !== undefined && !core.validateMasterKey(publicKeyInner(publicKey).pk, mk)) {
      throw new InvalidEncodingError('CP-ABE master key: does not match its public key');
    }
    return makeMasterKey(core, publicKey, mk);
  }

  /**
   * Decode armored text from {@link MasterKey.toArmored}.
   * @throws {InvalidEncodingError} on malformed armor or key.
   */
  static fromArmored(text: string): MasterKey {
    assertString(text, 'text', 1 << 24);
    return MasterKey.fromBytes(dearmor(ARMOR_LABEL.masterKey, text));
  }
}

/**
 * A user's CP-ABE secret key for a set of attributes. It embeds the public key (the
 * CCA check re-derives the encapsulation under it).
 *
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { SecretKey, keygen, setup } from 'bpds/cpabe';
 * await init();
 * const { masterKey } = setup();
 * const sk = keygen(masterKey, ['cardiology', 'doctor', 'level = 3']);
 * console.log(SecretKey.fromBytes(sk.toBytes()).attributes); // ['cardiology', 'doctor', 'level = 3']
 * ```
 */
export class SecretKey {
  private constructor() {}

  /** The scheme this key belongs to. */
  get scheme(): SchemeName {
    return secretKeyInner(this, 'this').core.name;
  }

  /** The attributes this key was issued for, as given to `keygen`. */
  get attributes(): readonly string[] {
    return secretKeyInner(this, 'this').attributes;
  }

  /** The public key of the setup that issued this key. */
  get publicKey(): PublicKey {
    return secretKeyInner(this, 'this').publicKey;
  }

  /** The pairing curve of this key. */
  get curve(): CurveName {
    return secretKeyInner(this, 'this').publicKey.curve;
  }

  /** The versioned binary encoding (secret). */
  toBytes(): Uint8Array {
    const { core, publicKey, sk, attributes } = secretKeyInner(this, 'this');
    const w = new ByteWriter();
    writeHeader(w, 'secretKey', core);
    w.varBytes(publicKeyInner(publicKey).bytes);
    w.u32(attributes.length);
    for (const a of attributes) w.string(a);
    core.writeSecretKey(w, sk);
    return w.finish();
  }

  /** PEM-style text: `-----BEGIN BPDS CPABE SECRET KEY-----`. */
  toArmored(): string {
    return armor(ARMOR_LABEL.secretKey, this.toBytes());
  }

  /**
   * A secret key has no JSON form: `JSON.stringify` throws rather than write the secret
   * (or `{}`). Export it explicitly with {@link SecretKey.toBytes} or {@link SecretKey.toArmored}.
   * @throws {InvalidArgumentError} always.
   */
  toJSON(): never {
    return refuseJson('a CP-ABE secret key');
  }

  /**
   * Decode and validate a secret key; its components must match its attribute list.
   * @throws {InvalidArgumentError} when `bytes` is not a Uint8Array.
   * @throws {InvalidEncodingError} on any malformed input.
   */
  static fromBytes(bytes: Uint8Array): SecretKey {
    assertBytes(bytes, 'bytes');
    const r = new ByteReader(bytes, 'CP-ABE secret key');
    const { core } = readHeader(r, 'secretKey');
    const publicKey = PublicKey.fromBytes(r.varBytes('public key', MAX_PUBLIC_KEY_BYTES));
    if (publicKey.scheme !== core.name)
      throw new InvalidEncodingError('CP-ABE secret key: embedded public key scheme mismatch');
    const n = r.count('attribute count', MAX_ATTRIBUTES);
    const attributes: string[] = [];
    for (let i = 0; i < n; i++) attributes.push(r.string('attribute', MAX_ATTRIBUTE_BYTES));
    const sk = core.readSecretKey(r);
    r.end();
    let labels: string[];
    try {
      labels = keyLabels(attributes);
    } catch (cause) {
      throw new InvalidEncodingError('CP-ABE secret key: invalid attribute', { cause });
    }
    const held = new Set(core.keyAttributes(sk));
    if (
      new Set(attributes).size !== attributes.length ||
      labels.length !== held.size ||
      !labels.every((l) => held.has(l))
    ) {
      throw new InvalidEncodingError('CP-ABE secret key: components do not match the attribute list');
    }
    return makeSecretKey(core, publicKey, sk, attributes);
  }

  /**
   * Decode armored text from {@link SecretKey.toArmored}.
   * @throws {InvalidEncodingError} on malformed armor or key.
   */
  static fromArmored(text: string): SecretKey {
    assertString(text, 'text', 1 << 24);
    return SecretKey.fromBytes(dearmor(ARMOR_LABEL.secretKey, text));
  }
}

/** @internal */
export function makePublicKey(core: AnyCore, pk: unknown, bytes?: Uint8Array): PublicKey {
  let b = bytes;
  if (b === undefined) {
    const w = new ByteWriter();
    writeHeader(w, 'publicKey', core);
    core.writePublicKey(w, pk);
    b = w.finish();
  }
  const k = Object.create(PublicKey.prototype) as PublicKey;
  pkStore.set(k, { core, pk, bytes: b, digest: publicKeyDigest(b) });
  return Object.freeze(k);
}

/** @internal */
export function makeMasterKey(core: AnyCore, publicKey: PublicKey, mk: unknown): MasterKey {
  const k = Object.create(MasterKey.prototype) as MasterKey;
  mkStore.set(k, { core, publicKey, mk });
  return Object.freeze(k);
}

/** @internal */
export function makeSecretKey(
  core: AnyCore,
  publicKey: PublicKey,
  sk: unknown,
  attributes: readonly string[],
): SecretKey {
  const k = Object.create(SecretKey.prototype) as SecretKey;
  skStore.set(k, { core, publicKey, sk, attributes: Object.freeze([...attributes]) });
  return Object.freeze(k);
}
