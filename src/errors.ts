/**
 * The error hierarchy of bpds.
 *
 * Every error thrown by the library is a {@link BpdsError} with a stable
 * machine-readable `code` (in the style of `jose`). Match on `code` (or on the
 * class with `instanceof`), never on `message`: messages may be reworded.
 *
 * @module errors
 */

/**
 * Every error code of bpds, mapped to the class that carries it. This map is the
 * single source of {@link BpdsErrorCode} and of the narrowing done by
 * {@link isBpdsError}: a new error class adds one line here (and declares its
 * literal `code`). Error classes that live in a higher layer (`ProtocolError` in
 * `bpds/protocol`) add their line by module augmentation next to the class, so this
 * file imports nothing.
 *
 * @example
 * ```ts
 * import type { BpdsErrorCodes } from 'bpds/errors';
 * type E = BpdsErrorCodes['ERR_LEDGER']; // LedgerError
 * ```
 */
export interface BpdsErrorCodes {
  ERR_BPDS: BpdsError;
  ERR_NOT_INITIALIZED: NotInitializedError;
  ERR_INVALID_ENCODING: InvalidEncodingError;
  ERR_INVALID_ARGUMENT: InvalidArgumentError;
  ERR_POLICY_SYNTAX: PolicySyntaxError;
  ERR_POLICY_NOT_SATISFIED: PolicyNotSatisfiedError;
  ERR_DECRYPTION_FAILED: DecryptionError;
  ERR_EXTRACTION_NOT_ALLOWED: ExtractionNotAllowedError;
  ERR_VERIFICATION_FAILED: VerificationError;
  ERR_LEDGER: LedgerError;
}

/**
 * The string-literal union of every stable error code, e.g. `'ERR_DECRYPTION_FAILED'`.
 * Comparing `e.code` with a string outside this union does not compile.
 *
 * @example
 * ```ts
 * import type { BpdsErrorCode } from 'bpds/errors';
 * const code: BpdsErrorCode = 'ERR_POLICY_NOT_SATISFIED';
 * ```
 */
export type BpdsErrorCode = keyof BpdsErrorCodes;

/** Options accepted by every bpds error constructor. */
export interface BpdsErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Base class of every error thrown by bpds.
 *
 * @example
 * ```ts
 * import { BpdsError } from 'bpds/errors';
 * try {
 *   throw new BpdsError('something went wrong');
 * } catch (e) {
 *   if (e instanceof BpdsError) console.log(e.code); // 'ERR_BPDS'
 * }
 * ```
 */
export class BpdsError extends Error {
  /** Stable error code of this class, e.g. `'ERR_INVALID_ENCODING'`. */
  static readonly code: BpdsErrorCode = 'ERR_BPDS';
  /** Stable error code, identical to the class's static `code`; one of {@link BpdsErrorCode}. */
  readonly code: BpdsErrorCode;

  constructor(message: string, options?: BpdsErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = (new.target as typeof BpdsError).code;
  }
}

/**
 * Thrown when a pairing-based operation is called before `await init()` has
 * loaded the WebAssembly backend.
 *
 * @example
 * ```ts
 * import { NotInitializedError } from 'bpds/errors';
 * const e = new NotInitializedError();
 * console.log(e.code); // 'ERR_NOT_INITIALIZED'
 * ```
 */
export class NotInitializedError extends BpdsError {
  static override readonly code = 'ERR_NOT_INITIALIZED' as const;
  declare readonly code: 'ERR_NOT_INITIALIZED';
  constructor(
    message = 'bpds is not initialized: call `await init()` once before any pairing-based operation',
    options?: BpdsErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Thrown when bytes or text cannot be decoded: wrong length, unknown version,
 * non-canonical scalar, point off the curve or outside the subgroup, trailing
 * bytes, malformed JSON, and so on. The message names what was wrong.
 *
 * @example
 * ```ts
 * import { InvalidEncodingError } from 'bpds/errors';
 * const e = new InvalidEncodingError('G1 point: expected 32 bytes, got 31');
 * console.log(e.code); // 'ERR_INVALID_ENCODING'
 * ```
 */
export class InvalidEncodingError extends BpdsError {
  static override readonly code = 'ERR_INVALID_ENCODING' as const;
  declare readonly code: 'ERR_INVALID_ENCODING';
}

/**
 * Thrown when an encoding (key, ciphertext, signature) was made on a pairing curve other
 * than the one this process loaded with `init()`: one process holds one curve (mcl-wasm's
 * state is global). A subclass of {@link InvalidEncodingError} (same `code`: the bytes are
 * unusable here); `loaded` and `encoded` name both curves.
 *
 * @example
 * ```ts
 * import { CurveMismatchError } from 'bpds/errors';
 * const e = new CurveMismatchError('bn254', 'bls12-381', 'CP-ABE ciphertext');
 * console.log(e.code, e.loaded, e.encoded); // 'ERR_INVALID_ENCODING' 'bn254' 'bls12-381'
 * ```
 */
export class CurveMismatchError extends InvalidEncodingError {
  /** The curve this process loaded. */
  readonly loaded: string;
  /** The curve the encoding was made on. */
  readonly encoded: string;
  constructor(loaded: string, encoded: string, what = 'encoding', options?: BpdsErrorOptions) {
    super(
      `${what}: made on curve ${encoded}, but this process loaded ${loaded} (one curve per process: init({ curve: '${encoded}' }) in a separate process or worker)`,
      options,
    );
    this.loaded = loaded;
    this.encoded = encoded;
  }
}

/**
 * Thrown when a function argument has the wrong type or an unacceptable value.
 * The message names the argument, e.g. `"ciphertext" expected Uint8Array, got string`.
 *
 * @example
 * ```ts
 * import { InvalidArgumentError } from 'bpds/errors';
 * const e = new InvalidArgumentError('"plaintext" expected Uint8Array, got string');
 * console.log(e.code); // 'ERR_INVALID_ARGUMENT'
 * ```
 */
export class InvalidArgumentError extends BpdsError {
  static override readonly code = 'ERR_INVALID_ARGUMENT' as const;
  declare readonly code: 'ERR_INVALID_ARGUMENT';
}

/**
 * Thrown when policy text cannot be parsed, exceeds a limit, or uses a construct
 * that the caller does not allow (e.g. `not` where a monotone policy is required).
 * `column` is the 1-based column of the problem when it is known.
 *
 * @example
 * ```ts
 * import { PolicySyntaxError } from 'bpds/errors';
 * const e = new PolicySyntaxError("expected ')'", 17);
 * console.log(e.message, e.column); // "expected ')' at column 17" 17
 * ```
 */
export class PolicySyntaxError extends BpdsError {
  static override readonly code = 'ERR_POLICY_SYNTAX' as const;
  declare readonly code: 'ERR_POLICY_SYNTAX';
  /** 1-based column of the error in the policy text, if known. */
  readonly column: number | undefined;
  /** The short expectation without the position, e.g. `expected ')'`. */
  readonly reason: string;

  constructor(reason: string, column?: number, options?: BpdsErrorOptions) {
    super(column === undefined ? reason : `${reason} at column ${column}`, options);
    this.reason = reason;
    this.column = column;
  }
}

/**
 * Thrown when a key's attributes do not satisfy a ciphertext's access policy.
 * This is decided from public information before any pairing is computed.
 *
 * @example
 * ```ts
 * import { PolicyNotSatisfiedError } from 'bpds/errors';
 * console.log(new PolicyNotSatisfiedError().code); // 'ERR_POLICY_NOT_SATISFIED'
 * ```
 */
export class PolicyNotSatisfiedError extends BpdsError {
  static override readonly code = 'ERR_POLICY_NOT_SATISFIED' as const;
  declare readonly code: 'ERR_POLICY_NOT_SATISFIED';
  constructor(message = 'the key attributes do not satisfy the access policy', options?: BpdsErrorOptions) {
    super(message, options);
  }
}

/**
 * Thrown for every decryption failure other than an unsatisfied policy:
 * tampered ciphertext, wrong key, failed authentication, failed CCA check.
 * The message is always the same so that it cannot serve as an oracle.
 *
 * @example
 * ```ts
 * import { DecryptionError } from 'bpds/errors';
 * console.log(new DecryptionError().message); // 'decryption failed'
 * ```
 */
export class DecryptionError extends BpdsError {
  static override readonly code = 'ERR_DECRYPTION_FAILED' as const;
  declare readonly code: 'ERR_DECRYPTION_FAILED';
  constructor(message = 'decryption failed', options?: BpdsErrorOptions) {
    super(message, options);
  }
}

/**
 * Thrown when a requested content extraction breaks the signer's extraction
 * rules. The message (and `rule`) say which rule was broken.
 *
 * @example
 * ```ts
 * import { ExtractionNotAllowedError } from 'bpds/errors';
 * const e = new ExtractionNotAllowedError('"/resourceType" must always be disclosed', 'always(/resourceType)');
 * console.log(e.code, e.rule); // 'ERR_EXTRACTION_NOT_ALLOWED' 'always(/resourceType)'
 * ```
 */
export class ExtractionNotAllowedError extends BpdsError {
  static override readonly code = 'ERR_EXTRACTION_NOT_ALLOWED' as const;
  declare readonly code: 'ERR_EXTRACTION_NOT_ALLOWED';
  /** The rule that the selection breaks, in canonical text, if known. */
  readonly rule: string | undefined;
  constructor(message: string, rule?: string, options?: BpdsErrorOptions) {
    super(message, options);
    this.rule = rule;
  }
}

/**
 * Thrown when a signature (or a presentation's signature) does not verify, in
 * APIs that throw rather than return a boolean. One generic message: no oracle.
 *
 * @example
 * ```ts
 * import { VerificationError } from 'bpds/errors';
 * console.log(new VerificationError().code); // 'ERR_VERIFICATION_FAILED'
 * ```
 */
export class VerificationError extends BpdsError {
  static override readonly code = 'ERR_VERIFICATION_FAILED' as const;
  declare readonly code: 'ERR_VERIFICATION_FAILED';
  constructor(message = 'verification failed', options?: BpdsErrorOptions) {
    super(message, options);
  }
}

/**
 * The stable `reason` sub-codes of {@link LedgerError} (docs/ledger.md lists their
 * meaning). A ledger adapter that needs a new reason adds one line here.
 *
 * @example
 * ```ts
 * import { LEDGER_REASONS } from 'bpds/errors';
 * console.log(LEDGER_REASONS.includes('REPLAYED_NONCE')); // true
 * ```
 */
export const LEDGER_REASONS = [
  'MALFORMED_TRANSACTION',
  'BAD_SIGNATURE',
  'BAD_CLOCK',
  'WRONG_CHAIN',
  'REPLAYED_NONCE',
  'UNKNOWN_ACTOR',
  'UNAUTHORIZED_SIGNER',
  'ALREADY_REGISTERED',
  'INVALID_ATTRIBUTES',
  'INVALID_KEY',
  'INVALID_ATTESTATION',
  'UNKNOWN_PATIENT',
  'UNKNOWN_PARTY',
  'UNKNOWN_RECORD',
  'UNKNOWN_GRANT',
  'INVALID_RECORD',
  'DUPLICATE_RECORD',
  'DUPLICATE_ANCHOR',
  'BROKEN_RECORD_CHAIN',
  'INVALID_POLICY',
  'EXPIRED',
  'INVALID_CUSTODIAN',
  'ALREADY_CUSTODIAN',
  'NOT_CUSTODIAN',
  'ALREADY_REVOKED',
  'TOO_MANY_GRANTS',
  'TAMPERED_CHAIN',
  // bpds/evm (docs/evm.md): the node, not the contract
  'NODE_UNAVAILABLE',
  'TX_REJECTED',
  'TX_REVERTED',
  'NO_ACCOUNT',
  'NO_CONTRACT',
] as const;

/**
 * A {@link LedgerError}'s `reason`: the string-literal union of {@link LEDGER_REASONS}.
 *
 * @example
 * ```ts
 * import type { LedgerReason } from 'bpds/errors';
 * const r: LedgerReason = 'UNKNOWN_RECORD';
 * ```
 */
export type LedgerReason = (typeof LEDGER_REASONS)[number];

/**
 * Thrown by the ledger contract and adapters. `reason` is a stable sub-code
 * saying why, e.g. `'UNAUTHORIZED_SIGNER'`, `'REPLAYED_NONCE'`, `'UNKNOWN_RECORD'`.
 *
 * @example
 * ```ts
 * import { LedgerError } from 'bpds/errors';
 * const e = new LedgerError('REPLAYED_NONCE', 'nonce already used by this actor');
 * console.log(e.code, e.reason); // 'ERR_LEDGER' 'REPLAYED_NONCE'
 * ```
 */
export class LedgerError extends BpdsError {
  static override readonly code = 'ERR_LEDGER' as const;
  declare readonly code: 'ERR_LEDGER';
  /** Stable reason sub-code, one of {@link LEDGER_REASONS}. */
  readonly reason: LedgerReason;
  constructor(reason: LedgerReason, message: string, options?: BpdsErrorOptions) {
    super(`${message} (${reason})`, options);
    this.reason = reason;
  }
}

/**
 * Whether `e` is a bpds error, optionally with the given `code`; narrows to the
 * class that carries the code, with its extra fields (`reason`, `column`, `step`, ...).
 * Prefer it to comparing `e.code` by hand: a misspelt code does not compile.
 *
 * @param e - anything caught
 * @param code - the expected code (without it, any {@link BpdsError} matches)
 * @returns true when `e` is a {@link BpdsError} (with that `code`)
 * @example
 * ```ts
 * import { isBpdsError, LedgerError } from 'bpds/errors';
 * try {
 *   throw new LedgerError('REPLAYED_NONCE', 'nonce already used');
 * } catch (e) {
 *   if (isBpdsError(e, 'ERR_LEDGER')) console.log(e.reason); // 'REPLAYED_NONCE'
 * }
 * ```
 */
export function isBpdsError<C extends BpdsErrorCode>(e: unknown, code: C): e is BpdsErrorCodes[C];
export function isBpdsError(e: unknown): e is BpdsError;
export function isBpdsError(e: unknown, code?: BpdsErrorCode): boolean {
  return e instanceof BpdsError && (code === undefined || e.code === code);
}
