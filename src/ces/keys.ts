/**
 * Signing and verification keys of bpds/ces.
 *
 * Base signatures of the `commit-vector` and `hash-tree` schemes: Ed25519
 * (RFC 8032, strict verification, the default), ECDSA over P-256 or secp256k1
 * (FIPS 186-5, SHA-256, low-S, 64-byte compact signatures), all via
 * `@noble/curves`; the `aggregate` scheme uses BLS (Boneh–Lynn–Shacham 2001;
 * Boneh–Gentry–Lynn–Shacham 2003) on BN254: secret x ∈ Fr, public key
 * g2^x ∈ G2, signatures in G1. BLS keys need `await init()`.
 *
 * Encoding (both kinds): `version (1) || kind (0x10 signing, 0x11 verify) ||
 * algorithm id || raw key` where the raw key is the 32-byte secret, or the public
 * key (Ed25519 32 bytes, ECDSA 33-byte compressed point, BLS 64-byte G2 point).
 *
 * @module ces
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { CurveMismatchError, InvalidArgumentError, InvalidEncodingError, NotInitializedError } from '../errors.js';
import { armorAs, dearmorAs } from '../internal/armor.js';
import { assertBytes, assertString } from '../internal/assert.js';
import { concatBytes, equalBytes } from '../internal/bytes.js';
// Shared Ed25519 backend (Node's OpenSSL when available, else noble; strict RFC 8032 checks first).
import { ed25519PublicKey, ed25519Sign, ed25519Verify, isPrimeOrderKey } from '../internal/ed25519.js';
import { fromJsonForm, type JsonForm, refuseJson, toJsonForm } from '../internal/json-form.js';
import { randomBytes } from '../internal/random.js';
import {
  type CurveName,
  type Fr,
  frFromBytes,
  frRandomNonZero,
  frToBytes,
  type G1,
  type G2,
  g1Mul,
  g2FromBytes,
  g2Generator,
  g2Mul,
  g2ToBytes,
  hashToG1,
  loadedCurve,
} from '../pairing/index.js';

/**
 * Signature algorithms: the first three for `commit-vector`/`hash-tree`; BLS for `aggregate`,
 * `bls-bn254` (BN254) or `bls12-381` (BLS12-381, RFC 9380 hash-to-curve), each usable only in a
 * process whose `init()` loaded that curve.
 */
export type SignatureAlgorithm = 'ed25519' | 'p256' | 'secp256k1' | 'bls-bn254' | 'bls12-381';

/** The BLS algorithms and their curves. */
const BLS_CURVE: Readonly<Partial<Record<SignatureAlgorithm, CurveName>>> = {
  'bls-bn254': 'bn254',
  'bls12-381': 'bls12-381',
};

/**
 * Whether `alg` is a BLS algorithm (for the `aggregate` scheme). Internal.
 * @example
 * ```ts
 * isBlsAlgorithm('bls12-381'); // true
 * ```
 */
export const isBlsAlgorithm = (alg: SignatureAlgorithm): boolean => BLS_CURVE[alg] !== undefined;

/** The BLS algorithm of the loaded curve (`bls-bn254` or `bls12-381`). Internal. */
export const loadedBlsAlgorithm = (): SignatureAlgorithm =>
  loadedCurve().name === 'bls12-381' ? 'bls12-381' : 'bls-bn254';

/** A BLS algorithm must match the loaded curve. */
function checkBlsCurve(alg: SignatureAlgorithm, decoding: boolean): void {
  const curve = BLS_CURVE[alg];
  if (curve === undefined) return;
  const loaded = loadedCurve().name;
  if (curve === loaded) return;
  if (decoding) throw new CurveMismatchError(loaded, curve, `${alg} key`);
  throw new InvalidArgumentError(
    `"algorithm" ${alg} needs curve ${curve}, but this process loaded ${loaded} (init({ curve: '${curve}' }) in its own process)`,
  );
}

/** Stable algorithm ids, written in key encodings and signed headers. Internal. */
export const ALG_IDS: Readonly<Record<SignatureAlgorithm, number>> = {
  ed25519: 1,
  p256: 2,
  secp256k1: 3,
  'bls-bn254': 4,
  'bls12-381': 5,
};
/** Reverse of {@link ALG_IDS}. Internal. */
export function algFromId(id: number): SignatureAlgorithm | undefined {
  for (const [k, v] of Object.entries(ALG_IDS)) if (v === id) return k as SignatureAlgorithm;
  return undefined;
}

const VERSION = 1;
const KIND_SIGNING = 0x10;
const KIND_VERIFY = 0x11;
const PUB_LEN: Record<SignatureAlgorithm, number> = {
  ed25519: 32,
  p256: 33,
  secp256k1: 33,
  'bls-bn254': 64,
  'bls12-381': 96,
};
/** Signature length of each algorithm (BLS: one G1 point). Internal. */
export const SIG_LEN: Record<SignatureAlgorithm, number> = {
  ed25519: 64,
  p256: 64,
  secp256k1: 64,
  'bls-bn254': 32,
  'bls12-381': 48,
};

function checkAlg(alg: unknown, name: string): SignatureAlgorithm {
  if (typeof alg !== 'string' || !Object.hasOwn(ALG_IDS, alg)) {
    throw new InvalidArgumentError(`"${name}" must be one of ${Object.keys(ALG_IDS).join(', ')}`);
  }
  return alg as SignatureAlgorithm;
}

/** Sign `msg` with an Ed25519/ECDSA key. Internal. */
export let signWith: (k: SigningKey, msg: Uint8Array) => Uint8Array;
/** BLS signature share H(dst, msg)^x. Internal. */
export let blsSign: (k: SigningKey, dst: string, msg: Uint8Array) => G1;
/** Verify an Ed25519/ECDSA signature; false on any failure. Internal. */
export let verifyWith: (k: VerifyKey, sig: Uint8Array, msg: Uint8Array) => boolean;
/** The decoded G2 public key of a BLS verify key. Internal. */
export let blsPoint: (k: VerifyKey) => G2;

const ecdsa = (alg: SignatureAlgorithm) => (alg === 'p256' ? p256 : secp256k1);

function publicFromSecret(alg: SignatureAlgorithm, sk: Uint8Array): Uint8Array {
  if (alg === 'ed25519') return ed25519PublicKey(sk);
  if (isBlsAlgorithm(alg)) return g2ToBytes(g2Mul(g2Generator(), frFromBytes(sk, 'BLS secret key', true)));
  return ecdsa(alg).getPublicKey(sk, true);
}

/**
 * A secret signing key (hospital or holder). Keep `toBytes()` secret.
 *
 * @example
 * ```ts
 * import { SigningKey } from 'bpds/ces';
 * const sk = SigningKey.generate('ed25519');
 * const vk = sk.verifyKey();
 * const restored = SigningKey.fromBytes(sk.toBytes());
 * console.log(restored.algorithm, vk.algorithm); // 'ed25519' 'ed25519'
 * ```
 */
export class SigningKey {
  /** The signature algorithm of this key. */
  readonly algorithm: SignatureAlgorithm;
  readonly #secret: Uint8Array;
  #fr: Fr | undefined;
  #vk: VerifyKey | undefined;

  private constructor(alg: SignatureAlgorithm, secret: Uint8Array) {
    this.algorithm = alg;
    this.#secret = secret;
  }

  /**
   * A fresh key from the platform CSPRNG.
   *
   * @param algorithm - `'ed25519'` (default), `'p256'`, `'secp256k1'` or `'bls-bn254'` / `'bls12-381'` (need `await init()` on that curve).
   * @throws InvalidArgumentError for an unknown algorithm.
   * @throws NotInitializedError for a BLS algorithm before `init()`.
   * @throws InvalidArgumentError for a BLS algorithm of the curve not loaded.
   */
  static generate(algorithm: SignatureAlgorithm = 'ed25519'): SigningKey {
    const alg = checkAlg(algorithm, 'algorithm');
    let sk: Uint8Array;
    if (alg === 'ed25519') sk = ed25519.keygen(randomBytes(32)).secretKey;
    else if (isBlsAlgorithm(alg)) {
      checkBlsCurve(alg, false);
      sk = frToBytes(frRandomNonZero());
    } else sk = ecdsa(alg).keygen(randomBytes(48)).secretKey;
    return new SigningKey(alg, sk);
  }

  /**
   * Decode a signing key from {@link SigningKey.toBytes}.
   *
   * @throws InvalidArgumentError when `bytes` is not a Uint8Array.
   * @throws InvalidEncodingError for a wrong version, kind, algorithm, length or an invalid secret.
   * @throws NotInitializedError for a BLS key before `init()`.
   */
  static fromBytes(bytes: Uint8Array): SigningKey {
    assertBytes(bytes, 'bytes');
    if (bytes.length !== 35 || bytes[0] !== VERSION || bytes[1] !== KIND_SIGNING) {
      throw new InvalidEncodingError('signing key: expected 35 bytes starting with version 1, kind 0x10');
    }
    const alg = algFromId(bytes[2] as number);
    if (alg === undefined) throw new InvalidEncodingError('signing key: unknown algorithm');
    const sk = bytes.slice(3);
    if (isBlsAlgorithm(alg)) {
      checkBlsCurve(alg, true);
      frFromBytes(sk, 'BLS secret key', true);
    } else if (alg === 'ed25519') {
      /* every 32-byte string is an Ed25519 secret */
    } else if (!ecdsa(alg).utils.isValidSecretKey(sk)) throw new InvalidEncodingError('signing key: invalid secret');
    return new SigningKey(alg, sk);
  }

  /**
   * Import an existing raw secret key, e.g. a hospital's P-256 key: the 32-byte Ed25519
   * seed, the 32-byte big-endian ECDSA scalar, or the 32-byte BLS scalar.
   *
   * @throws InvalidArgumentError for an unknown algorithm or a non-Uint8Array.
   * @throws InvalidEncodingError for a wrong length or an invalid secret.
   * @throws NotInitializedError for a BLS key before `init()`.
   * @example
   * ```ts
   * import { SigningKey } from 'bpds/ces';
   * const sk = SigningKey.fromRaw('p256', new Uint8Array(32).fill(7));
   * console.log(sk.algorithm); // 'p256'
   * ```
   */
  static fromRaw(algorithm: SignatureAlgorithm, secret: Uint8Array): SigningKey {
    const alg = checkAlg(algorithm, 'algorithm');
    assertBytes(secret, 'secret');
    return SigningKey.fromBytes(concatBytes(Uint8Array.of(VERSION, KIND_SIGNING, ALG_IDS[alg]), secret));
  }

  /** Encoded key (secret!). */
  toBytes(): Uint8Array {
    return concatBytes(Uint8Array.of(VERSION, KIND_SIGNING, ALG_IDS[this.algorithm]), this.#secret);
  }

  /** Armored text (`-----BEGIN BPDS CES SIGNING KEY-----`) of {@link SigningKey.toBytes} (secret!). */
  toArmored(): string {
    return armorAs('cesSigningKey', this.toBytes());
  }

  /**
   * Decode {@link SigningKey.toArmored}.
   *
   * @throws InvalidEncodingError for another armor label, malformed armor or a malformed key.
   * @throws NotInitializedError for a BLS key before `init()`.
   */
  static fromArmored(text: string): SigningKey {
    assertString(text, 'text');
    return SigningKey.fromBytes(dearmorAs('cesSigningKey', text));
  }

  /**
   * A signing key has no JSON form: `JSON.stringify` throws rather than write the secret
   * (or `{}`). Export it explicitly with {@link SigningKey.toBytes} or {@link SigningKey.toArmored}.
   * @throws {InvalidArgumentError} always.
   */
  toJSON(): never {
    return refuseJson('a CES signing key');
  }

  /**
   * The matching public key.
   *
   * @throws NotInitializedError for a BLS key before `init()`.
   */
  verifyKey(): VerifyKey {
    this.#vk ??= VerifyKey.fromBytes(
      concatBytes(
        Uint8Array.of(VERSION, KIND_VERIFY, ALG_IDS[this.algorithm]),
        publicFromSecret(this.algorithm, this.#secret),
      ),
    );
    return this.#vk;
  }

  static {
    signWith = (k, msg) => {
      if (k.algorithm === 'ed25519') return ed25519Sign(msg, k.#secret);
      if (isBlsAlgorithm(k.algorithm))
        throw new InvalidArgumentError('"signingKey" is a BLS key: use it with the aggregate scheme');
      return ecdsa(k.algorithm).sign(msg, k.#secret, { prehash: true, lowS: true });
    };
    blsSign = (k, dst, msg) => {
      if (!isBlsAlgorithm(k.algorithm))
        throw new InvalidArgumentError(
          '"signingKey" must be a BLS key (bls-bn254 or bls12-381) for the aggregate scheme',
        );
      checkBlsCurve(k.algorithm, false);
      k.#fr ??= frFromBytes(k.#secret, 'BLS secret key', true);
      return g1Mul(hashToG1(dst, msg), k.#fr);
    };
  }
}

/**
 * A public verification key.
 *
 * @example
 * ```ts
 * import { SigningKey, VerifyKey } from 'bpds/ces';
 * const vk = SigningKey.generate().verifyKey();
 * const same = VerifyKey.fromBytes(vk.toBytes());
 * console.log(same.equals(vk)); // true
 * ```
 */
export class VerifyKey {
  /** The signature algorithm of this key. */
  readonly algorithm: SignatureAlgorithm;
  readonly #pub: Uint8Array;
  readonly #g2: G2 | undefined;

  private constructor(alg: SignatureAlgorithm, pub: Uint8Array, g2: G2 | undefined) {
    this.algorithm = alg;
    this.#pub = pub;
    this.#g2 = g2;
  }

  /**
   * Decode and validate a public key (point on the curve, in the prime-order subgroup).
   *
   * @throws InvalidArgumentError when `bytes` is not a Uint8Array.
   * @throws InvalidEncodingError for a wrong version, kind, algorithm, length or an invalid point.
   * @throws NotInitializedError for a BLS key before `init()`.
   */
  static fromBytes(bytes: Uint8Array): VerifyKey {
    assertBytes(bytes, 'bytes');
    if (bytes.length < 3 || bytes[0] !== VERSION || bytes[1] !== KIND_VERIFY) {
      throw new InvalidEncodingError('verify key: expected version 1, kind 0x11');
    }
    const alg = algFromId(bytes[2] as number);
    if (alg === undefined) throw new InvalidEncodingError('verify key: unknown algorithm');
    const pub = bytes.slice(3);
    if (pub.length !== PUB_LEN[alg]) {
      throw new InvalidEncodingError(`verify key: ${alg} key must be ${PUB_LEN[alg]} bytes, got ${pub.length}`);
    }
    let g2: G2 | undefined;
    try {
      if (alg === 'ed25519') {
        // The bpds Ed25519 rule (internal/ed25519.ts): a strict encoding of a point of prime
        // order; small-order and mixed-order keys are refused.
        if (!isPrimeOrderKey(pub)) throw new Error('not a point of prime order');
      } else if (isBlsAlgorithm(alg)) {
        checkBlsCurve(alg, true);
        g2 = g2FromBytes(pub, 'BLS public key');
      } else {
        ecdsa(alg).Point.fromBytes(pub).assertValidity();
      }
    } catch (cause) {
      if (cause instanceof InvalidEncodingError) throw cause;
      if (cause instanceof NotInitializedError) throw cause;
      throw new InvalidEncodingError(`verify key: invalid ${alg} public key`, { cause });
    }
    return new VerifyKey(alg, pub, g2);
  }

  /**
   * Import an existing raw public key: Ed25519 32 bytes, ECDSA SEC1 compressed (33) or
   * uncompressed (65) point, BLS G2 point (64 bytes on BN254, 96 on BLS12-381). Validated like {@link VerifyKey.fromBytes}.
   *
   * @throws InvalidArgumentError for an unknown algorithm or a non-Uint8Array.
   * @throws InvalidEncodingError for a wrong length or an invalid point.
   * @throws NotInitializedError for a BLS key before `init()`.
   * @example
   * ```ts
   * import { SigningKey, VerifyKey } from 'bpds/ces';
   * const vk = SigningKey.generate('secp256k1').verifyKey();
   * console.log(VerifyKey.fromRaw('secp256k1', vk.toRaw()).equals(vk)); // true
   * ```
   */
  static fromRaw(algorithm: SignatureAlgorithm, publicKey: Uint8Array): VerifyKey {
    const alg = checkAlg(algorithm, 'algorithm');
    assertBytes(publicKey, 'publicKey');
    let pub = publicKey;
    if ((alg === 'p256' || alg === 'secp256k1') && publicKey.length === 65) {
      try {
        pub = ecdsa(alg).Point.fromBytes(publicKey).toBytes(true);
      } catch (cause) {
        throw new InvalidEncodingError(`verify key: invalid ${alg} public key`, { cause });
      }
    }
    return VerifyKey.fromBytes(concatBytes(Uint8Array.of(VERSION, KIND_VERIFY, ALG_IDS[alg]), pub));
  }

  /** The raw public key (Ed25519 32 bytes, ECDSA compressed 33 bytes, BLS 64 or 96 bytes). */
  toRaw(): Uint8Array {
    return this.#pub.slice();
  }

  /** Encoded public key. */
  toBytes(): Uint8Array {
    return concatBytes(Uint8Array.of(VERSION, KIND_VERIFY, ALG_IDS[this.algorithm]), this.#pub);
  }

  /** Armored text (`-----BEGIN BPDS CES VERIFY KEY-----`) of {@link VerifyKey.toBytes}. */
  toArmored(): string {
    return armorAs('cesVerifyKey', this.toBytes());
  }

  /**
   * Decode {@link VerifyKey.toArmored}.
   *
   * @throws InvalidEncodingError for another armor label, malformed armor or an invalid key.
   * @throws NotInitializedError for a BLS key before `init()`.
   */
  static fromArmored(text: string): VerifyKey {
    assertString(text, 'text');
    return VerifyKey.fromBytes(dearmorAs('cesVerifyKey', text));
  }

  /** The JSON form, `{ "typ": "bpds-ces-verify-key", "v": 1, "data": base64url(toBytes()) }`. */
  toJSON(): JsonForm {
    return toJsonForm('bpds-ces-verify-key', this.toBytes());
  }

  /**
   * Decode the JSON form of {@link VerifyKey.toJSON} (the object or its text).
   * @throws InvalidEncodingError on another type or version, or a malformed key.
   */
  static fromJSON(json: JsonForm | string): VerifyKey {
    return VerifyKey.fromBytes(fromJsonForm(json, 'bpds-ces-verify-key', 'verify key'));
  }

  /** True when both keys are the same algorithm and public key. */
  equals(other: VerifyKey): boolean {
    return other instanceof VerifyKey && other.algorithm === this.algorithm && equalBytes(other.#pub, this.#pub);
  }

  static {
    verifyWith = (k, sig, msg) => {
      if (isBlsAlgorithm(k.algorithm)) return false;
      if (sig.length !== SIG_LEN[k.algorithm]) return false;
      try {
        if (k.algorithm === 'ed25519') return ed25519Verify(sig, msg, k.#pub);
        return ecdsa(k.algorithm).verify(sig, msg, k.#pub, { prehash: true, lowS: true });
      } catch {
        return false;
      }
    };
    blsPoint = (k) => {
      if (k.#g2 === undefined)
        throw new InvalidArgumentError(
          '"verifyKey" must be a BLS key (bls-bn254 or bls12-381) for the aggregate scheme',
        );
      return k.#g2;
    };
  }
}
