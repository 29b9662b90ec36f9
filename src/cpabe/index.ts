/**
 * bpds/cpabe: ciphertext-policy attribute-based encryption on BN254.
 *
 * Three schemes behind one API: FAME (Agrawal–Chase, CCS 2017; the default),
 * Waters11 (PKC 2011, large universe) and BSW07 (S&P 2007). `encrypt`/`decrypt` are
 * CCA-secure hybrid encryption (Fujisaki–Okamoto transform, HKDF-SHA-256,
 * AES-256-GCM); `encryptStream`/`decryptStream` are the same header with a STREAM
 * (Hoang–Reyhanitabar–Rogaway–Vizár, CRYPTO 2015) segmented payload for records of any
 * size in bounded memory; `encapsulate`/`decapsulate` are the raw CPA KEM for research
 * benchmarks. Call `await init()` (from `bpds`) once first. See docs/cpabe.md.
 *
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { decrypt, encrypt, keygen, setup } from 'bpds/cpabe';
 * await init();
 * const { publicKey, masterKey } = setup();
 * const ct = await encrypt(publicKey, 'cardiology and (doctor or nurse)', new TextEncoder().encode('EMR'));
 * const pt = await decrypt(keygen(masterKey, ['cardiology', 'doctor']), ct);
 * ```
 *
 * @module cpabe
 */

export type { JsonForm } from '../internal/json-form.js';
export { canDecrypt } from './can-decrypt.js';
export { Ciphertext } from './ciphertext.js';
export { decrypt, encrypt, type HybridOptions } from './hybrid.js';
export { decapsulate, encapsulate } from './kem.js';
export { MasterKey, PublicKey, SecretKey } from './keys.js';
export type { SchemeName } from './scheme.js';
export { keygen, type SetupOptions, setup } from './setup.js';
export { decryptStream, encryptStream, type StreamOptions } from './stream.js';
