/**
 * The internal contract every CP-ABE scheme core implements. The public API
 * (`src/cpabe/index.ts`: setup/keygen/encrypt/decrypt/encapsulate/decapsulate,
 * encodings, armor, CCA transform) is written once on top of it.
 *
 * A scheme core is a key-encapsulation mechanism over an LSSS access structure:
 * it never parses policies, never does symmetric crypto, and never sees GT bytes
 * from outside. Internal: not exported from the package.
 */
import type { ByteReader, ByteWriter } from '../internal/codec.js';
import type { Fr, G1, G2, GT } from '../pairing/types.js';

/** A linear secret-sharing scheme: n rows x m columns over Fr, row i labelled by an attribute. */
export interface Lsss {
  /** Row-major matrix, entries in [0, r). */
  readonly matrix: readonly (readonly bigint[])[];
  /** rowLabels[i] is the attribute rho(i) of row i (already expanded, e.g. numeric bit attributes). */
  readonly rowLabels: readonly string[];
}

/** A source of scalars: the CSPRNG (`frRandom`) or a deterministic DRBG for the CCA re-encryption check. */
export type ScalarSource = () => Fr;

/** Stable numeric ids, written in every encoding. */
export const SCHEME_IDS = { fame: 1, waters11: 2, bsw07: 3 } as const;
/** The name of a CP-ABE scheme: `'fame'`, `'waters11'` or `'bsw07'`. */
export type SchemeName = keyof typeof SCHEME_IDS;

/** Counted group operations of one algorithm, for the benchmark "limit". */
export interface OpCount {
  g1Mul?: number;
  g2Mul?: number;
  /** Multiplications of the fixed G2 generator (precomputed table, src/pairing/fixed-base.ts). */
  g2FixedMul?: number;
  /** Points in G1 multi-scalar multiplications (priced per point). */
  g1MsmPoints?: number;
  g2MsmPoints?: number;
  gtPow?: number;
  hashG1?: number;
  hashG2?: number;
  /** Pairs in Miller loops (priced per pair) */
  millerPairs?: number;
  finalExp?: number;
  /** G1/G2 decodes with subgroup checks (priced by the bench). */
  g1Decode?: number;
  g2Decode?: number;
  /** G2 decodes without the subgroup test, deferred to the CCA check's exact comparison. */
  g2DecodeDeferred?: number;
}

/** Scheme-specific setup options (a scheme ignores options it does not use). */
export interface SchemeSetupOptions {
  /**
   * FAME only: how many rows of one policy may carry the same attribute (every key holds
   * that many independent copies of each attribute component). Default 2, range 1..32.
   */
  readonly maxRepeats?: number;
}

export interface SchemeCore<PK, MK, SK, CT> {
  readonly name: SchemeName;
  readonly id: number;

  /** `options` is optional and backward compatible: schemes without options ignore it. */
  setup(rand: ScalarSource, options?: SchemeSetupOptions): { pk: PK; mk: MK };
  /** `attributes` are already expanded key attributes (numeric ones as bit attributes), deduplicated. */
  keygen(pk: PK, mk: MK, attributes: readonly string[], rand: ScalarSource): SK;
  /** The attributes a key holds (for canDecrypt / minimal satisfying set, no pairing work). */
  keyAttributes(sk: SK): readonly string[];

  /** Encapsulate: returns the ABE components and the GT key e(g,h)^{alpha s} (or the scheme's analogue). Deterministic given `rand`. */
  encapsulate(pk: PK, lsss: Lsss, rand: ScalarSource): { ct: CT; key: GT };
  /**
   * Decapsulate with the chosen rows I (indices into lsss rows, all labels held by the key) and
   * coefficients w_i with sum_i w_i M_i = (1, 0, ..., 0). Uses one multi-pairing with a single
   * final exponentiation. Throws nothing but may return a wrong GT on a tampered ct.
   */
  decapsulate(pk: PK, sk: SK, ct: CT, lsss: Lsss, rows: readonly number[], coeffs: readonly bigint[]): GT;
  /**
   * The pairing inputs of {@link decapsulate}: `decapsulate(...)` is exactly
   * `multiPairing(Ps, Qs)` of what this returns (bpds/workers splits the Miller loops of
   * one decryption across workers and finishes with one final exponentiation).
   */
  decapsulationPairs(
    pk: PK,
    sk: SK,
    ct: CT,
    lsss: Lsss,
    rows: readonly number[],
    coeffs: readonly bigint[],
  ): { Ps: G1[]; Qs: G2[] };
  /**
   * CCA re-encryption check (Fujisaki–Okamoto): true iff `ct` equals `encapsulate(pk, lsss, rand).ct`
   * with `rand` replaying the same deterministic stream. Schemes should do better than re-encrypting
   * and comparing bytes, e.g. one random-linear-combination multi-scalar multiplication.
   */
  checkEncapsulation(pk: PK, lsss: Lsss, ct: CT, rand: ScalarSource): boolean;

  /** Encodings of the scheme-specific body (the framework writes magic, version, scheme and curve ids). */
  writePublicKey(w: ByteWriter, pk: PK): void;
  readPublicKey(r: ByteReader): PK;
  writeMasterKey(w: ByteWriter, mk: MK): void;
  readMasterKey(r: ByteReader): MK;
  /**
   * Optional: whether a decoded master key belongs to a decoded public key (e.g. recompute the
   * public key's G2/GT parts from the master secrets). Called by `MasterKey.fromBytes`.
   */
  validateMasterKey?(pk: PK, mk: MK): boolean;
  writeSecretKey(w: ByteWriter, sk: SK): void;
  readSecretKey(r: ByteReader): SK;
  /** Ciphertext components for `nRows` rows (the policy travels in the header, written by the framework). */
  writeCiphertext(w: ByteWriter, ct: CT): void;
  /**
   * `opts.forCcaCheck`: the caller (hybrid `decrypt`) runs `checkEncapsulation` on the result
   * before anything derived from it is released. A scheme whose check compares some G2
   * components EXACTLY with points it computes in G2 may then decode those components without
   * the subgroup test: a point outside G2 can never equal a point of G2, so the check fails
   * with certainty whatever the key (docs/cpabe.md). Every other caller validates everything.
   */
  readCiphertext(r: ByteReader, nRows: number, opts?: { readonly forCcaCheck?: boolean }): CT;

  /** Operation counts, for the benchmark's limit column. */
  counts: {
    keygen(nAttributes: number): OpCount;
    encapsulate(nRows: number, nCols: number): OpCount;
    decapsulate(nRowsUsed: number): OpCount;
    /** Optional: the counted cost of the scheme's CCA check (`checkEncapsulation`); the bench falls back to `encapsulate`. */
    checkEncapsulation?(nRows: number, nCols: number): OpCount;
  };
}
