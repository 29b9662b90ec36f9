/**
 * The messages between a {@link WorkerPool} and its workers, and how errors cross
 * the boundary: a worker sends a bpds error's code and fields, and the pool rebuilds
 * an error of the same class, so a caller sees the codes the synchronous API throws.
 * Internal.
 */
import {
  BpdsError,
  DecryptionError,
  InvalidArgumentError,
  InvalidEncodingError,
  NotInitializedError,
  PolicyNotSatisfiedError,
  PolicySyntaxError,
} from '../errors.js';
import type { CurveName } from '../pairing/curve.js';
import { WORKER_POOL_REASONS, WorkerPoolError, type WorkerPoolReason } from './errors.js';

/** Arguments of each task, as plain cloneable data (keys travel as their encodings). */
export interface TaskArgs {
  encrypt: { pk: KeyRef; policy: string; plaintext: Uint8Array; ad: Uint8Array | undefined };
  decrypt: { sk: KeyRef; ct: Uint8Array; ad: Uint8Array | undefined };
  keygen: { mk: KeyRef; attributes: string[] };
  encapsulate: { pk: KeyRef; policy: string };
  decapsulate: { sk: KeyRef; enc: Uint8Array };
  /** Test hook: the worker ends its own thread mid-task (how the pool survives a crash). */
  exit: Record<string, never>;
}
export type TaskOp = keyof TaskArgs;

/** Results of each task. */
export interface TaskResults {
  encrypt: Uint8Array;
  decrypt: Uint8Array;
  keygen: Uint8Array;
  encapsulate: { key: Uint8Array; encapsulation: Uint8Array };
  decapsulate: Uint8Array;
  exit: never;
}

/** A key by its pool-wide id (the worker caches the decoded key) and its encoding. */
export interface KeyRef {
  readonly id: number;
  readonly bytes: Uint8Array;
}

/**
 * One share of a split multi-pairing: G2 encodings to decode WITH the subgroup check
 * (untrusted ciphertext points whose checks the coordinator deferred) and Miller-loop
 * pairs in the trusted raw form (transfer.ts).
 */
export interface ShareJob {
  readonly check: Uint8Array[];
  readonly P: Uint32Array[];
  readonly Q: Uint32Array[];
}
/** A share's answer: the index in `check` of the first point that failed (-1: none) and the Miller-loop product. */
export interface ShareResult {
  readonly bad: number;
  readonly miller: Uint32Array;
}

export type ToWorker =
  | { t: 'init'; curve: CurveName }
  | { t: 'task'; id: number; op: TaskOp; args: unknown; poolSize: number }
  | { t: 'helpers'; id: number; granted: number }
  | { t: 'share'; id: number; share: number; job: ShareJob }
  | { t: 'shareDone'; id: number; share: number; result: ShareResult }
  | { t: 'shareFailed'; id: number; share: number };

export type FromWorker =
  | { t: 'ready' }
  | { t: 'startFailed'; message: string }
  | { t: 'done'; id: number; value: unknown }
  | { t: 'failed'; id: number; error: WireError }
  | { t: 'helpers'; id: number; want: number }
  | { t: 'share'; id: number; share: number; job: ShareJob }
  | { t: 'release'; id: number; from: number }
  | { t: 'shareDone'; id: number; share: number; result: ShareResult };

/** An error as it crosses the boundary: never a stack, never a cause (they may hold secrets). */
export interface WireError {
  readonly code: string | null;
  readonly message: string;
  readonly reason?: string | undefined;
  readonly column?: number | undefined;
}

/** Worker side: what to send for a thrown value. */
export function toWire(e: unknown): WireError {
  if (e instanceof WorkerPoolError) {
    return { code: e.code, message: e.message.replace(/ \([A-Z_]+\)$/, ''), reason: e.reason };
  }
  if (e instanceof PolicySyntaxError) return { code: e.code, message: e.message, reason: e.reason, column: e.column };
  if (e instanceof BpdsError) return { code: e.code, message: e.message };
  return { code: null, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

/** Pool side: the error of the same class and code. */
export function fromWire(w: WireError): BpdsError {
  switch (w.code) {
    case InvalidEncodingError.code:
      return new InvalidEncodingError(w.message);
    case InvalidArgumentError.code:
      return new InvalidArgumentError(w.message);
    case PolicySyntaxError.code:
      return new PolicySyntaxError(w.reason ?? w.message, w.column);
    case PolicyNotSatisfiedError.code:
      return new PolicyNotSatisfiedError(w.message);
    case DecryptionError.code:
      return new DecryptionError();
    case NotInitializedError.code:
      return new NotInitializedError(w.message);
    case WorkerPoolError.code:
      if ((WORKER_POOL_REASONS as readonly string[]).includes(w.reason ?? ''))
        return new WorkerPoolError(w.reason as WorkerPoolReason, w.message);
      break;
  }
  return new WorkerPoolError('TASK_FAILED', `a worker failed: ${w.message}`);
}
