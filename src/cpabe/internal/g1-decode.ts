/**
 * Fast validated G1 decoding for ciphertext rows.
 *
 * `g1FromBytes` of the pairing layer runs mcl's subgroup-order check three times
 * (in `deserialize`, `isValid` and `isValidOrder`, ~0.5 ms each), which made parsing
 * a 100-row FAME ciphertext cost ~0.5 s. On BN254, G1 = E(Fp) has prime order r
 * (cofactor 1), so a point on the curve is in the subgroup and the order check is
 * redundant. This decoder keeps every other check of `g1FromBytes`: exact length,
 * on the curve (mcl's compressed decoding recovers y by a square root and rejects x
 * without one; `isValid` re-checks the curve equation), canonical encoding
 * (re-encoding gives the same bytes) and no identity.
 *
 * Once the pairing layer's `g1FromBytes` skips the redundant order checks, this file can go.
 * Internal.
 */
import { InvalidEncodingError } from '../../errors.js';
import { equalBytes } from '../../internal/bytes.js';
import { be } from '../../pairing/backend.js';
import { type G1, G1_BYTES } from '../../pairing/index.js';

/** Decode a canonical, non-identity G1 point (on-curve check; cofactor 1 makes it a subgroup check). */
export function g1Decode(b: Uint8Array, what: string): G1 {
  if (b.length !== G1_BYTES)
    throw new InvalidEncodingError(`${what}: G1 point expected ${G1_BYTES} bytes, got ${b.length}`);
  const { mcl } = be();
  const x = new mcl.G1();
  mcl.verifyOrderG1(false);
  try {
    x.deserialize(b);
    if (!x.isValid()) throw new Error('not on the curve');
  } catch (cause) {
    throw new InvalidEncodingError(`${what}: not a valid G1 point (off the curve or malformed)`, { cause });
  } finally {
    mcl.verifyOrderG1(true);
  }
  if (!equalBytes(x.serialize(), b)) throw new InvalidEncodingError(`${what}: non-canonical G1 encoding`);
  if (x.isZero()) throw new InvalidEncodingError(`${what}: G1 identity is not allowed`);
  return x as unknown as G1;
}
