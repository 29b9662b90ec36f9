/**
 * The fuzz harness's seeded pseudo-random generator (sfc32, 128-bit state). Test
 * code only: the library itself draws randomness from the platform CSPRNG. A run's
 * 64-bit seed comes from `crypto.getRandomValues` and is printed, and every input
 * gets its own generator derived from (seed, decoder, index), so any single input
 * can be regenerated from those three values without replaying the others.
 */

/** A small, fast, seedable generator of 32-bit words. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.#a = a >>> 0;
    this.#b = b >>> 0;
    this.#c = c >>> 0;
    this.#d = d >>> 0;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** The generator of input `index` of decoder `decoder` in the run seeded with `seed` (16 hex digits). */
  static forInput(seed: string, decoder: string, index: number): Rng {
    const hi = Number.parseInt(seed.slice(0, 8), 16) >>> 0;
    const lo = Number.parseInt(seed.slice(8, 16), 16) >>> 0;
    return new Rng(hi, lo, fnv1a(decoder), (index * 0x9e3779b1) ^ Math.floor(index / 2 ** 32));
  }

  /** Next uniform 32-bit word. */
  u32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** Uniform integer in [0, n) for 0 < n ≤ 2^32. */
  int(n: number): number {
    return n <= 1 ? 0 : Math.floor((this.u32() / 2 ** 32) * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }

  /** One element of a non-empty array. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }

  /** `n` pseudo-random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  /** A small count biased towards 1: 1 with probability 1/2, 2 with 1/4, … up to `max`. */
  small(max: number): number {
    let n = 1;
    while (n < max && this.chance(0.5)) n++;
    return n;
  }
}

/** 32-bit FNV-1a of a string (to mix decoder names into seeds). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A fresh 64-bit run seed from the platform CSPRNG, as 16 hex digits. */
export function freshSeed(): string {
  const w = crypto.getRandomValues(new Uint32Array(2));
  return Array.from(w, (x) => x.toString(16).padStart(8, '0')).join('');
}
