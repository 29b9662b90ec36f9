/**
 * The CPA key-encapsulation API, for research benchmarks and for protocols that add
 * their own authentication. NOT chosen-ciphertext secure: use `encrypt`/`decrypt` for data.
 */
import { DecryptionError, InvalidEncodingError, PolicyNotSatisfiedError } from '../errors.js';
import { assertBytes } from '../internal/assert.js';
import { ByteWriter } from '../internal/codec.js';
import { frRandom, type G1, type G2, type GT, multiPairing } from '../pairing/index.js';
import type { Policy } from '../policy/index.js';
import { Ciphertext, ciphertextInner } from './ciphertext.js';
import { writeHeader } from './internal/format.js';
import { headerDigest, kemKey } from './internal/kdf.js';
import { type PreparedPolicy, preparePolicy, selectRows } from './internal/policy-bridge.js';
import { type PublicKey, publicKeyInner, type SecretKey, secretKeyInner } from './keys.js';
import type { AnyCore } from './schemes/index.js';

/**
 * CPA-secure key encapsulation under a policy: a fresh 32-byte key and its encapsulation
 * (the policy and the scheme's components). The key is HKDF-SHA-256 of the scheme's GT
 * key, bound to the public key and the whole encapsulation.
 *
 * @throws {InvalidArgumentError} for a bad public key or policy argument.
 * @throws {PolicySyntaxError} for bad policy text, `not`, or (FAME) too many repeats of an attribute.
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { encapsulate, setup } from 'bpds/cpabe';
 * await init();
 * const { publicKey } = setup();
 * const { key, encapsulation } = encapsulate(publicKey, 'a and b');
 * ```
 */
export function encapsulate(
  publicKey: PublicKey,
  policy: string | Policy,
): { key: Uint8Array; encapsulation: Uint8Array } {
  const pub = publicKeyInner(publicKey);
  const prepared = preparePolicy(policy, 'policy');
  const { ct, key } = pub.core.encapsulate(pub.pk, prepared.lsss, frRandom);
  const w = new ByteWriter();
  writeHeader(w, 'encapsulation', pub.core);
  w.string(prepared.text);
  pub.core.writeCiphertext(w, ct);
  const encapsulation = w.finish();
  return { key: kemKey(key, pub.digest, headerDigest(encapsulation)), encapsulation };
}

/**
 * A decryption stopped at its multi-pairing: `finish(multiPairing(Ps, Qs))` is the result.
 * bpds/workers computes the Miller loops of `Ps`/`Qs` in several workers and calls
 * `finish` with one final exponentiation of their product. @internal
 */
export interface PairingPlan<T> {
  readonly Ps: G1[];
  readonly Qs: G2[];
  finish(Z: GT): T;
}

/** The pairing inputs of parsed ciphertext parts (shared with `decrypt` and the streaming format). @internal */
export function decapsulationPairs(
  secretKey: SecretKey,
  core: AnyCore,
  prepared: PreparedPolicy,
  ct: unknown,
): { Ps: G1[]; Qs: G2[] } {
  const sec = secretKeyInner(secretKey);
  if (core !== sec.core) throw new DecryptionError();
  const sel = selectRows(prepared, sec.attributes);
  if (sel === null) throw new PolicyNotSatisfiedError();
  try {
    return sec.core.decapsulationPairs(
      publicKeyInner(sec.publicKey).pk,
      sec.sk,
      ct,
      prepared.lsss,
      sel.rows,
      sel.coeffs,
    );
  } catch (cause) {
    throw new DecryptionError(undefined, { cause });
  }
}

/** The GT key of parsed ciphertext parts (shared with the streaming format). @internal */
export function decapsulateParts(secretKey: SecretKey, core: AnyCore, prepared: PreparedPolicy, ct: unknown): GT {
  const { Ps, Qs } = decapsulationPairs(secretKey, core, prepared, ct);
  return multiPairing(Ps, Qs);
}

/** {@link decapsulate} up to its multi-pairing. @internal */
export function decapsulatePlan(secretKey: SecretKey, encapsulation: Uint8Array): PairingPlan<Uint8Array> {
  const sec = secretKeyInner(secretKey);
  assertBytes(encapsulation, 'encapsulation');
  const c = Ciphertext.fromBytes(encapsulation);
  if (c.kind !== 'kem') throw new InvalidEncodingError('CP-ABE encapsulation: got a hybrid ciphertext (use decrypt)');
  const ci = ciphertextInner(c);
  const { Ps, Qs } = decapsulationPairs(secretKey, ci.core, ci.prepared, ci.ct);
  return {
    Ps,
    Qs,
    finish: (Z) => kemKey(Z, publicKeyInner(sec.publicKey).digest, headerDigest(ci.bytes)),
  };
}

/**
 * Recover the 32-byte key of an encapsulation. CPA only: a tampered encapsulation
 * yields a wrong key, not an error.
 *
 * @throws {InvalidArgumentError} for a bad key or argument type.
 * @throws {InvalidEncodingError} for a malformed encapsulation.
 * @throws {PolicyNotSatisfiedError} when the key's attributes do not satisfy the policy (before any pairing).
 * @throws {DecryptionError} for a scheme mismatch.
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { decapsulate, encapsulate, keygen, setup } from 'bpds/cpabe';
 * await init();
 * const { publicKey, masterKey } = setup();
 * const { key, encapsulation } = encapsulate(publicKey, 'a and b');
 * const same = decapsulate(keygen(masterKey, ['a', 'b']), encapsulation); // equals key
 * ```
 */
export function decapsulate(secretKey: SecretKey, encapsulation: Uint8Array): Uint8Array {
  const plan = decapsulatePlan(secretKey, encapsulation);
  return plan.finish(multiPairing(plan.Ps, plan.Qs));
}
