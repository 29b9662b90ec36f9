/**
 * CCA-secure hybrid encryption: CP-ABE key encapsulation + AES-256-GCM, made
 * chosen-ciphertext secure with the Fujisaki–Okamoto transform as OpenABE applies it
 * (E. Fujisaki and T. Okamoto, CRYPTO 1999 / J. Cryptology 2013; argument in docs/cpabe.md).
 *
 * encrypt(pk, policy, m):
 *   sigma <- 32 random bytes
 *   (ct, Z) = Encaps(pk, policy; randomness = DRBG(sigma, pk, prefix))
 *   C_sigma = sigma XOR HKDF(Z, pk, prefix | ct)
 *   (k, iv)  = HKDF(sigma, pk, header = prefix | ct | C_sigma)
 *   output header | AES-256-GCM_k,iv(m, aad = header | lp(associatedData))
 * decrypt: policy check (no pairing) -> Z' = Decaps (one multi-pairing) ->
 *   sigma' = C_sigma XOR HKDF(Z', ...) -> require ct == Encaps(pk, policy; DRBG(sigma', ...))
 *   (the scheme's cheap check) -> AES-GCM open. Every failure after the policy check is
 *   the same DecryptionError.
 */
import { DecryptionError, InvalidArgumentError, InvalidEncodingError } from '../errors.js';
import { assertBytes, assertObject } from '../internal/assert.js';
import { concatBytes, lp } from '../internal/bytes.js';
import { ByteWriter } from '../internal/codec.js';
import { randomBytes } from '../internal/random.js';
import { type GT, multiPairing } from '../pairing/index.js';
import type { Policy } from '../policy/index.js';
import { ciphertextInner, parseCiphertext, SIGMA_BYTES } from './ciphertext.js';
import { writeHeader } from './internal/format.js';
import { demKey, foMask, foStream, headerDigest, xor32 } from './internal/kdf.js';
import { preparePolicy } from './internal/policy-bridge.js';
import { decapsulationPairs, type PairingPlan } from './kem.js';
import { type PublicKey, publicKeyInner, type SecretKey, secretKeyInner } from './keys.js';

/** Options of {@link encrypt} and {@link decrypt}. */
export interface HybridOptions {
  /** Extra data authenticated (not encrypted) with the ciphertext; decrypt must pass the same bytes. */
  readonly associatedData?: Uint8Array;
}

/** Largest plaintext accepted (AES-GCM allows more; this bounds memory). */
export const MAX_PLAINTEXT_BYTES = 2 ** 31;

function options(o: unknown): Uint8Array {
  if (o === undefined) return new Uint8Array(0);
  assertObject(o, 'options');
  const ad = (o as HybridOptions).associatedData;
  if (ad === undefined) return new Uint8Array(0);
  assertBytes(ad, 'options.associatedData');
  return ad;
}

async function aesKey(key: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [usage]);
}

/**
 * Encrypt `plaintext` so that exactly the keys whose attributes satisfy `policy` can
 * decrypt it. CCA secure (Fujisaki–Okamoto), any plaintext size, AES-256-GCM payload.
 * The key encapsulation is synchronous; only AES-GCM (WebCrypto) is awaited.
 *
 * @throws {InvalidArgumentError} for bad argument types or a plaintext over 2 GiB.
 * @throws {PolicySyntaxError} for bad policy text, `not`, or (FAME) an attribute repeated more than `maxRepeats` times.
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { encrypt, setup } from 'bpds/cpabe';
 * await init();
 * const { publicKey } = setup();
 * const ct = await encrypt(publicKey, 'cardiology and (doctor or nurse)', new TextEncoder().encode('EMR'));
 * ```
 */
export async function encrypt(
  publicKey: PublicKey,
  policy: string | Policy,
  plaintext: Uint8Array,
  opts?: HybridOptions,
): Promise<Uint8Array> {
  const pub = publicKeyInner(publicKey);
  assertBytes(plaintext, 'plaintext');
  if (plaintext.length > MAX_PLAINTEXT_BYTES) {
    throw new InvalidArgumentError(`"plaintext" longer than ${MAX_PLAINTEXT_BYTES} bytes`);
  }
  const ad = options(opts);
  const prepared = preparePolicy(policy, 'policy');
  const w = new ByteWriter();
  writeHeader(w, 'ciphertext', pub.core);
  w.string(prepared.text);
  const prefix = w.finish();
  const sigma = randomBytes(SIGMA_BYTES);
  const { ct, key: Z } = pub.core.encapsulate(pub.pk, prepared.lsss, foStream(sigma, pub.digest, prefix));
  const abeWriter = new ByteWriter();
  pub.core.writeCiphertext(abeWriter, ct);
  const body = concatBytes(prefix, abeWriter.finish());
  const cSigma = xor32(sigma, foMask(Z, pub.digest, headerDigest(body)));
  const header = concatBytes(body, cSigma);
  const { key, iv } = demKey(sigma, pub.digest, headerDigest(header));
  const sealed = await globalThis.crypto.subtle.encrypt(
    {
      name: 'AES-GCM',
      iv: iv as Uint8Array<ArrayBuffer>,
      additionalData: concatBytes(header, lp(ad)) as Uint8Array<ArrayBuffer>,
    },
    await aesKey(key, 'encrypt'),
    plaintext as Uint8Array<ArrayBuffer>,
  );
  return concatBytes(header, new Uint8Array(sealed));
}

/**
 * Decrypt a ciphertext from {@link encrypt}.
 *
 * @throws {InvalidArgumentError} for bad argument types.
 * @throws {InvalidEncodingError} when the ciphertext is malformed (framing, policy text, points, length).
 * @throws {PolicyNotSatisfiedError} when the key's attributes do not satisfy the policy (checked before any pairing).
 * @throws {DecryptionError} for every other failure (tampering, wrong setup, wrong associated data, scheme mismatch): one generic message.
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { decrypt, encrypt, keygen, setup } from 'bpds/cpabe';
 * await init();
 * const { publicKey, masterKey } = setup();
 * const ct = await encrypt(publicKey, 'cardiology and (doctor or nurse)', new TextEncoder().encode('EMR'));
 * const pt = await decrypt(keygen(masterKey, ['cardiology', 'nurse']), ct);
 * ```
 */
export async function decrypt(secretKey: SecretKey, ciphertext: Uint8Array, opts?: HybridOptions): Promise<Uint8Array> {
  const plan = decryptPlan(secretKey, ciphertext, opts);
  return plan.finish(multiPairing(plan.Ps, plan.Qs));
}

/** {@link decrypt} up to its multi-pairing (bpds/workers splits the Miller loops). @internal */
export function decryptPlan(
  secretKey: SecretKey,
  ciphertext: Uint8Array,
  opts?: HybridOptions,
): PairingPlan<Promise<Uint8Array>> {
  const sec = secretKeyInner(secretKey);
  assertBytes(ciphertext, 'ciphertext');
  const ad = options(opts);
  // Every point is validated on decode (parseCiphertext(…, true) would leave the exactly-checked
  // G2 rows to the CCA check: not enabled, so bpds/workers and decrypt refuse alike; docs/cpabe.md).
  const c = parseCiphertext(ciphertext, false);
  if (c.kind !== 'hybrid')
    throw new InvalidEncodingError('CP-ABE ciphertext: got a KEM encapsulation (use decapsulate)');
  const ci = ciphertextInner(c);
  // PolicyNotSatisfiedError before any pairing
  const { Ps, Qs } = decapsulationPairs(secretKey, ci.core, ci.prepared, ci.ct);
  return { Ps, Qs, finish: (Z) => decryptFinish(sec, ci, ad, Z) };
}

async function decryptFinish(
  sec: ReturnType<typeof secretKeyInner>,
  ci: ReturnType<typeof ciphertextInner>,
  ad: Uint8Array,
  Z: GT,
): Promise<Uint8Array> {
  const pub = publicKeyInner(sec.publicKey);
  const bytes = ci.bytes;
  const prefix = bytes.subarray(0, ci.prefixEnd);
  const body = bytes.subarray(0, ci.abeEnd);
  const header = bytes.subarray(0, ci.headerEnd);
  const sigma = xor32(bytes.subarray(ci.abeEnd, ci.headerEnd), foMask(Z, pub.digest, headerDigest(body)));
  let ok: boolean;
  try {
    ok = sec.core.checkEncapsulation(pub.pk, ci.prepared.lsss, ci.ct, foStream(sigma, pub.digest, prefix));
  } catch (cause) {
    throw new DecryptionError(undefined, { cause });
  }
  if (!ok) throw new DecryptionError();
  const { key, iv } = demKey(sigma, pub.digest, headerDigest(header));
  try {
    const opened = await globalThis.crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: iv as Uint8Array<ArrayBuffer>,
        additionalData: concatBytes(header, lp(ad)) as Uint8Array<ArrayBuffer>,
      },
      await aesKey(key, 'decrypt'),
      bytes.subarray(ci.headerEnd) as Uint8Array<ArrayBuffer>,
    );
    return new Uint8Array(opened);
  } catch (cause) {
    throw new DecryptionError(undefined, { cause });
  }
}
