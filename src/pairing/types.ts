/**
 * Opaque handles for field and group elements. At runtime they are mcl-wasm
 * objects, but no mcl-wasm type appears in any signature outside `src/pairing/`,
 * and `src/pairing/` itself is never exported from the package.
 */
declare const brand: unique symbol;

/** A scalar modulo the group order r of the loaded curve. */
export type Fr = { readonly [brand]: 'Fr' };
/** A point of G1 (the order-r subgroup; BN254's G1 has cofactor 1, BLS12-381's does not). */
export type G1 = { readonly [brand]: 'G1' };
/** A point of G2 (the order-r subgroup of the sextic twist). */
export type G2 = { readonly [brand]: 'G2' };
/** An element of GT, the order-r subgroup of Fp12*. */
export type GT = { readonly [brand]: 'GT' };

export { BN254_P, BN254_R, BN254_U } from './curve.js';

import type { CurveParams } from './curve.js';

/*
 * Encoded sizes in bytes of the LOADED curve (BN254: G1 32, G2 64, GT 384; BLS12-381: G1 48,
 * G2 96, GT 576; Fr 32 on both). Live bindings: `init()` sets them once through
 * {@link applyCurveSizes} before any value exists; until then they hold BN254's sizes.
 */
export let G1_BYTES = 32;
export let G2_BYTES = 64;
export let GT_BYTES = 384;
export const FR_BYTES = 32;

/** Set the encoded sizes for the curve being loaded. Internal (backend.ts). */
export function applyCurveSizes(c: CurveParams): void {
  G1_BYTES = c.g1Bytes;
  G2_BYTES = c.g2Bytes;
  GT_BYTES = c.gtBytes;
}
