/**
 * The error hierarchy of bpds.
 *
 * Every error thrown by the library is a {@link BpdsError} with a stable
 * machine-readable `code` (in the style of `jose`). Match on `code` (or on the
 * class with `instanceof`), never on `message`: messages may be reworded.
 *
 * @module errors
 */

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
  static readonly code: string = 'ERR_BPDS';
  /** Stable error code, identical to the class's static `code`. */
  readonly code: string;

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
  static override readonly code: string = 'ERR_NOT_INITIALIZED';
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
  static override readonly code: string = 'ERR_INVALID_ENCODING';
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
  static override readonly code: string = 'ERR_INVALID_ARGUMENT';
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
  static override readonly code: string = 'ERR_POLICY_SYNTAX';
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
  static override readonly code: string = 'ERR_POLICY_NOT_SATISFIED';
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
  static override readonly code: string = 'ERR_DECRYPTION_FAILED';
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
  static override readonly code: string = 'ERR_EXTRACTION_NOT_ALLOWED';
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
  static override readonly code: string = 'ERR_VERIFICATION_FAILED';
  constructor(message = 'verification failed', options?: BpdsErrorOptions) {
    super(message, options);
  }
}

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
  static override readonly code: string = 'ERR_LEDGER';
  /** Stable reason sub-code. */
  readonly reason: string;
  constructor(reason: string, message: string, options?: BpdsErrorOptions) {
    super(`${message} (${reason})`, options);
    this.reason = reason;
  }
}
