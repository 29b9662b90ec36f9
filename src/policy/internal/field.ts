/**
 * Arithmetic modulo a prime p given as a bigint (the pairing group order is
 * passed in, so this module stays WASM-free), and Gaussian elimination for
 * LSSS reconstruction. Internal.
 */

/** x mod p in [0, p). */
export function mod(x: bigint, p: bigint): bigint {
  const r = x % p;
  return r < 0n ? r + p : r;
}

/** x^-1 mod p (x not divisible by p), extended Euclid. */
export function inv(x: bigint, p: bigint): bigint {
  let a = mod(x, p);
  if (a === 0n) throw new Error('inv: zero has no inverse');
  let b = p;
  let x0 = 1n;
  let x1 = 0n;
  while (b !== 0n) {
    const q = a / b;
    [a, b] = [b, a - q * b];
    [x0, x1] = [x1, x0 - q * x1];
  }
  if (a !== 1n) throw new Error('inv: modulus is not prime');
  return mod(x0, p);
}

function powMod(b: bigint, e: bigint, p: bigint): bigint {
  let r = 1n;
  let x = mod(b, p);
  while (e > 0n) {
    if (e & 1n) r = (r * x) % p;
    x = (x * x) % p;
    e >>= 1n;
  }
  return r;
}

const SMALL_PRIMES = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n];
const primes = new Set<bigint>();

/** Miller–Rabin with the first 15 prime bases (deterministic below 3.3e24, overwhelming above). Cached. */
export function isProbablePrime(n: bigint): boolean {
  if (primes.has(n)) return true;
  if (n < 2n) return false;
  for (const q of SMALL_PRIMES) {
    if (n === q) return true;
    if (n % q === 0n) return false;
  }
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  outer: for (const a of SMALL_PRIMES) {
    let x = powMod(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let i = 1; i < s; i++) {
      x = (x * x) % n;
      if (x === n - 1n) continue outer;
    }
    return false;
  }
  primes.add(n);
  return true;
}

/**
 * Find w with sum_i w_i * vecs[i] = (1, 0, ..., 0) mod p, or `null` if (1, 0, ..., 0)
 * is not in the span of `vecs` (all of length `cols`, entries in [0, p)).
 * Gaussian elimination on the transposed system, skipping zero entries (LSSS
 * matrices are sparse). Free unknowns are set to 0.
 */
export function solveUnit(vecs: readonly (readonly bigint[])[], cols: number, p: bigint): bigint[] | null {
  const k = vecs.length;
  // Only columns where some vector is non-zero give non-trivial equations; column 0 must be one of them.
  const used: number[] = [];
  for (let c = 0; c < cols; c++) {
    if (vecs.some((v) => (v[c] ?? 0n) !== 0n)) used.push(c);
  }
  if (used[0] !== 0) return null;
  // Equation e (one per used column c): sum_i w_i * vecs[i][c] = [c == 0]; augmented column k.
  const eq: bigint[][] = used.map((c) => {
    const row = vecs.map((v) => v[c] ?? 0n);
    row.push(c === 0 ? 1n : 0n);
    return row;
  });
  const pivots: number[] = [];
  let r = 0;
  for (let col = 0; col < k && r < eq.length; col++) {
    let sel = -1;
    for (let i = r; i < eq.length; i++) {
      if ((eq[i] as bigint[])[col] !== 0n) {
        sel = i;
        break;
      }
    }
    if (sel < 0) continue;
    [eq[r], eq[sel]] = [eq[sel] as bigint[], eq[r] as bigint[]];
    const pr = eq[r] as bigint[];
    const f = inv(pr[col] as bigint, p);
    for (let j = col; j <= k; j++) if (pr[j] !== 0n) pr[j] = ((pr[j] as bigint) * f) % p;
    for (let i = 0; i < eq.length; i++) {
      if (i === r) continue;
      const row = eq[i] as bigint[];
      const g = row[col] as bigint;
      if (g === 0n) continue;
      for (let j = col; j <= k; j++) {
        const x = pr[j] as bigint;
        if (x !== 0n) row[j] = mod((row[j] as bigint) - g * x, p);
      }
    }
    pivots.push(col);
    r++;
  }
  for (let i = r; i < eq.length; i++) if ((eq[i] as bigint[])[k] !== 0n) return null;
  const w: bigint[] = new Array<bigint>(k).fill(0n);
  pivots.forEach((col, i) => {
    w[col] = (eq[i] as bigint[])[k] as bigint;
  });
  return w;
}
