/**
 * Small-exponent batching weights (Bellare–Garay–Rabin, "Fast Batch Verification for
 * Modular Exponentiation and Digital Signatures", EUROCRYPT 1998), shared by the CCA
 * checks of every scheme core. Internal.
 */
import { randomBytes } from '../../internal/random.js';
import { type Fr, frFromBytes, frIsZero } from '../../pairing/index.js';

/**
 * Fresh small-exponent batching weights: uniform in [1, 2^128) from the CSPRNG.
 * A batch check sum_i rho_i E_i = 0 with any E_i != 0 passes with probability
 * at most 2^-128, and 128-bit scalars make multi-scalar multiplications cheaper.
 * @example
 * ```ts
 * const rho = batchWeights(3); // three scalars in [1, 2^128)
 * ```
 */
export function batchWeights(n: number): Fr[] {
  const out: Fr[] = [];
  const buf = new Uint8Array(32);
  while (out.length < n) {
    const bytes = randomBytes(16 * (n - out.length));
    for (let k = 0; k < bytes.length; k += 16) {
      buf.set(bytes.subarray(k, k + 16));
      const x = frFromBytes(buf, 'weight');
      if (!frIsZero(x)) out.push(x);
    }
  }
  return out;
}
