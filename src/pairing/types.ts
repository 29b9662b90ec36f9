/**
 * Opaque handles for field and group elements. At runtime they are mcl-wasm
 * objects, but no mcl-wasm type appears in any signature outside `src/pairing/`,
 * and `src/pairing/` itself is never exported from the package.
 */
declare const brand: unique symbol;

/** A scalar modulo the BN254 group order r. */
export type Fr = { readonly [brand]: 'Fr' };
/** A point of G1 (order r, cofactor 1). */
export type G1 = { readonly [brand]: 'G1' };
/** A point of G2 (the order-r subgroup of the sextic twist). */
export type G2 = { readonly [brand]: 'G2' };
/** An element of GT, the order-r subgroup of Fp12*. */
export type GT = { readonly [brand]: 'GT' };

/** The mcl BN254 curve parameter u = -(2^62 + 2^55 + 1). */
export const BN254_U = -((1n << 62n) + (1n << 55n) + 1n);
const u = BN254_U;
/** The prime group order r = 36u^4 + 36u^3 + 18u^2 + 6u + 1 of G1, G2 and GT. */
export const BN254_R = 36n * u ** 4n + 36n * u ** 3n + 18n * u ** 2n + 6n * u + 1n;
/** The base field prime p = 36u^4 + 36u^3 + 24u^2 + 6u + 1. */
export const BN254_P = 36n * u ** 4n + 36n * u ** 3n + 24n * u ** 2n + 6n * u + 1n;

/** Encoded sizes in bytes. */
export const FR_BYTES = 32;
export const G1_BYTES = 32;
export const G2_BYTES = 64;
export const GT_BYTES = 384;
