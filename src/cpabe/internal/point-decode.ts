/**
 * Validated point decoding for CP-ABE keys and ciphertexts: the pairing layer's
 * decoders (one on-curve check for G1, whose cofactor is 1; one subgroup check
 * for G2), with identity rejected. Internal.
 */
import { type G1, type G2, g1FromBytes, g2FromBytes } from '../../pairing/index.js';

/** Decode a canonical, non-identity G1 point. */
export const g1Decode = (b: Uint8Array, what: string): G1 => g1FromBytes(b, what);
/** Decode a canonical, non-identity G2 point with one subgroup check. */
export const g2Decode = (b: Uint8Array, what: string): G2 => g2FromBytes(b, what);
/**
 * Decode a canonical, non-identity G2 point on the twist WITHOUT the subgroup test: only for
 * components the CCA check compares exactly with points of G2 (see SchemeCore.readCiphertext).
 */
export const g2DecodeForExactCheck = (b: Uint8Array, what: string): G2 =>
  g2FromBytes(b, what, { deferSubgroupCheck: true });
