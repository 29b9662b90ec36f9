/**
 * FAME key and ciphertext shapes (k = 2), named as in Agrawal–Chase, CCS 2017, §4
 * (CP-ABE): pk = (h, H1, H2, T1, T2), msk = (g, h, a1, a2, b1, b2, g^d1, g^d2, g^d3),
 * sk = (sk0, {sk_y}, sk'), ct = (ct0, {ct_i}, ct'). The fixed generators g (of G1)
 * and h (of G2) are not stored. The KEM never builds ct' (the framework uses the key
 * T1^s1 T2^s2 directly). Internal.
 */
import type { Fr, G1, G2, GT } from '../../../pairing/index.js';

/** Three components indexed l = 1, 2, 3 (stored at 0, 1, 2). */
export type Triple<T> = readonly [T, T, T];

export interface FamePk {
  readonly H1: G2;
  readonly H2: G2;
  readonly T1: GT;
  readonly T2: GT;
  /** How many times one attribute may label rows of a policy (copies per attribute in every key). */
  readonly maxRepeats: number;
}

export interface FameMk {
  readonly a1: Fr;
  readonly a2: Fr;
  readonly b1: Fr;
  readonly b2: Fr;
  readonly gd1: G1;
  readonly gd2: G1;
  readonly gd3: G1;
}

export interface FameSk {
  /** sk0 = (h^{b1 r1}, h^{b2 r2}, h^{r1 + r2}) in G2. */
  readonly sk0: Triple<G2>;
  /** sk' = (sk'_1, sk'_2, sk'_3) in G1. */
  readonly skp: Triple<G1>;
  /** Number of copies (occurrence indexes 1..copies) per attribute. */
  readonly copies: number;
  /** sk_y for each attribute y: copies[k - 1] = (sk_{y,1}, sk_{y,2}, sk_{y,3}) for occurrence k. */
  readonly sky: ReadonlyMap<string, readonly Triple<G1>[]>;
}

export interface FameCt {
  /** ct0 = (H1^{s1}, H2^{s2}, h^{s1 + s2}) in G2. */
  readonly ct0: Triple<G2>;
  /** ct_i = (ct_{i,1}, ct_{i,2}, ct_{i,3}) in G1, one per LSSS row. */
  readonly cti: readonly Triple<G1>[];
}

/** Bounds on decoded sizes. */
export const FAME_LIMITS = { maxRepeats: 32, maxAttributes: 4096, maxLabelBytes: 1024, maxCopies: 65536 } as const;

/** occurrence[i] = 1-based index of row i among the rows with the same label. */
export function occurrences(rowLabels: readonly string[]): number[] {
  const seen = new Map<string, number>();
  return rowLabels.map((y) => {
    const k = (seen.get(y) ?? 0) + 1;
    seen.set(y, k);
    return k;
  });
}
