/**
 * Fast validated point decoding for CP-ABE keys and ciphertexts.
 *
 * The pairing layer's `g1FromBytes`/`g2FromBytes` run mcl's subgroup-order check three
 * times per point (inside `deserialize`, `isValid` and `isValidOrder`, each ~0.5 ms in
 * G1 and ~0.25 ms in G2), which made parsing a 100-row FAME ciphertext cost ~0.5 s.
 * These decoders keep every check exactly once:
 *
 * - G1: BN254's G1 = E(Fp) has prime order r (cofactor 1), so on the curve means in the
 *   subgroup; we decode with mcl's order check off and check the curve equation
 *   (`isValid`; compressed decoding already recovers y by a square root).
 * - G2: one subgroup check, inside mcl's `deserialize` (order verification is on
 *   globally since `init()`).
 *
 * Both: exact length, canonical encoding (re-encoding gives the same bytes), no
 * identity. Once the pairing layer drops its redundant checks this file can go. Internal.
 */
import { InvalidEncodingError } from '../../errors.js';
import { equalBytes } from '../../internal/bytes.js';
import { be } from '../../pairing/backend.js';
import { type G1, G1_BYTES, type G2, G2_BYTES } from '../../pairing/index.js';

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

/** Decode a canonical, non-identity G2 point with one subgroup check. */
export function g2Decode(b: Uint8Array, what: string): G2 {
  if (b.length !== G2_BYTES)
    throw new InvalidEncodingError(`${what}: G2 point expected ${G2_BYTES} bytes, got ${b.length}`);
  const { mcl } = be();
  const x = new mcl.G2();
  try {
    x.deserialize(b); // verifyOrderG2(true): on the twist AND in the order-r subgroup, or throws
  } catch (cause) {
    throw new InvalidEncodingError(
      `${what}: not a valid G2 point (off the curve, outside the subgroup, or malformed)`,
      { cause },
    );
  }
  if (!equalBytes(x.serialize(), b)) throw new InvalidEncodingError(`${what}: non-canonical G2 encoding`);
  if (x.isZero()) throw new InvalidEncodingError(`${what}: G2 identity is not allowed`);
  return x as unknown as G2;
}
