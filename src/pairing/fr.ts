/**
 * Scalars modulo r (the group order of the loaded curve): CSPRNG sampling,
 * arithmetic, bigint conversion and the canonical 32-byte little-endian encoding
 * (values >= r rejected) on both curves. mcl serializes BLS12-381 scalars
 * big-endian in its ZCash/ETH mode; bpds keeps its own little-endian form there too.
 */
import type * as Mcl from 'mcl-wasm';
import { InvalidEncodingError } from '../errors.js';
import { equalBytes } from '../internal/bytes.js';
import { randomBytes } from '../internal/random.js';
import { be } from './backend.js';
import { groupOrder, loadedCurve } from './curve.js';
import { FR_BYTES, type Fr } from './types.js';

/** mcl's serialization of scalars is big-endian on BLS12-381 (ETH mode): bpds's is little-endian. */
const swapsEndianness = (): boolean => loadedCurve().id === 2;
const toLE = (b: Uint8Array): Uint8Array => (swapsEndianness() ? b.reverse() : b);
const fromLE = (b: Uint8Array): Uint8Array => (swapsEndianness() ? b.slice().reverse() : b);

const M = (x: Fr) => x as unknown as Mcl.Fr;
const F = (x: Mcl.Fr) => x as unknown as Fr;

/**
 * A uniformly random scalar from the platform CSPRNG: 64 random bytes reduced
 * mod r (statistical distance < 2^-250). mcl's own `setByCSPRNG` is not used
 * because it is not uniform.
 */
export function frRandom(): Fr {
  const x = new (be().mcl.Fr)();
  x.setLittleEndianMod(randomBytes(64));
  return F(x);
}

/** A uniformly random non-zero scalar. */
export function frRandomNonZero(): Fr {
  for (;;) {
    const x = frRandom();
    if (!M(x).isZero()) return x;
  }
}

/** The scalar `n mod r` for a bigint or safe integer. */
export function frFrom(n: bigint | number): Fr {
  const x = new (be().mcl.Fr)();
  const r = groupOrder();
  let v = BigInt(n) % r;
  if (v < 0n) v += r;
  x.setStr(v.toString(16), 16);
  return F(x);
}

/** The canonical bigint in [0, r). */
export function frToBigint(a: Fr): bigint {
  return BigInt(`0x${M(a).getStr(16)}`);
}

export const frAdd = (a: Fr, b: Fr): Fr => F(be().mcl.add(M(a), M(b)));
export const frSub = (a: Fr, b: Fr): Fr => F(be().mcl.sub(M(a), M(b)));
export const frMul = (a: Fr, b: Fr): Fr => F(be().mcl.mul(M(a), M(b)));
export const frNeg = (a: Fr): Fr => F(be().mcl.neg(M(a)));
/** Multiplicative inverse; the inverse of 0 is 0 (callers never invert 0). */
export const frInv = (a: Fr): Fr => F(be().mcl.inv(M(a)));
export const frEq = (a: Fr, b: Fr): boolean => M(a).isEqual(M(b));
export const frIsZero = (a: Fr): boolean => M(a).isZero();

/** Canonical 32-byte little-endian encoding. */
export function frToBytes(a: Fr): Uint8Array {
  return toLE(M(a).serialize());
}

/**
 * Decode a canonical scalar: exactly 32 bytes, little-endian, value < r.
 * @throws {InvalidEncodingError} on wrong length, value >= r, or zero when `nonZero`.
 */
export function frFromBytes(b: Uint8Array, what = 'scalar', nonZero = false): Fr {
  if (!(b instanceof Uint8Array) || b.length !== FR_BYTES) {
    throw new InvalidEncodingError(
      `${what}: expected ${FR_BYTES} bytes, got ${b instanceof Uint8Array ? b.length : typeof b}`,
    );
  }
  const x = new (be().mcl.Fr)();
  try {
    x.deserialize(fromLE(b));
  } catch (cause) {
    throw new InvalidEncodingError(`${what}: not a canonical scalar (value >= r)`, { cause });
  }
  if (!equalBytes(toLE(x.serialize()), b))
    throw new InvalidEncodingError(`${what}: not a canonical scalar (value >= r)`);
  if (nonZero && x.isZero()) throw new InvalidEncodingError(`${what}: zero is not allowed`);
  return F(x);
}

/** The scalar `b mod r` for 64 uniformly random or pseudo-random bytes (e.g. a DRBG block). */
export function frFromWide(b: Uint8Array): Fr {
  if (b.length !== 64) throw new RangeError('frFromWide: expected 64 bytes');
  const x = new (be().mcl.Fr)();
  x.setLittleEndianMod(b);
  return F(x);
}
