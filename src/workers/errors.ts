/**
 * The error of `bpds/workers` for what only a pool can get wrong: it was closed, a
 * worker died, or a worker could not start. Bad input inside a worker is NOT this
 * error: it comes back as the same class and code the synchronous API throws.
 *
 * @module workers/errors
 */
import { BpdsError, type BpdsErrorOptions } from '../errors.js';

declare module '../errors.js' {
  interface BpdsErrorCodes {
    ERR_WORKER_POOL: WorkerPoolError;
  }
}

/**
 * The stable `reason` sub-codes of {@link WorkerPoolError}.
 *
 * - `POOL_CLOSED`: the pool was closed before the task ran (or finished).
 * - `WORKER_CRASHED`: the worker running the task (or helping with it) exited or threw
 *   outside a task; the pool replaces it.
 * - `WORKER_START_FAILED`: a worker could not load its script or the WebAssembly backend.
 * - `TASK_FAILED`: a worker failed with an error that is not a bpds error (a bug).
 *
 * @example
 * ```ts
 * import { WORKER_POOL_REASONS } from 'bpds/workers';
 * console.log(WORKER_POOL_REASONS.includes('POOL_CLOSED')); // true
 * ```
 */
export const WORKER_POOL_REASONS = ['POOL_CLOSED', 'WORKER_CRASHED', 'WORKER_START_FAILED', 'TASK_FAILED'] as const;

/**
 * A {@link WorkerPoolError}'s `reason`: one of {@link WORKER_POOL_REASONS}.
 *
 * @example
 * ```ts
 * import type { WorkerPoolReason } from 'bpds/workers';
 * const r: WorkerPoolReason = 'WORKER_CRASHED';
 * ```
 */
export type WorkerPoolReason = (typeof WORKER_POOL_REASONS)[number];

/**
 * Thrown (as a rejection) by a {@link WorkerPool} method when the pool itself fails:
 * closed, a worker crashed or could not start. `reason` says which.
 *
 * @example
 * ```ts
 * import { WorkerPoolError } from 'bpds/workers';
 * const e = new WorkerPoolError('POOL_CLOSED', 'the worker pool is closed');
 * console.log(e.code, e.reason); // 'ERR_WORKER_POOL' 'POOL_CLOSED'
 * ```
 */
export class WorkerPoolError extends BpdsError {
  static override readonly code = 'ERR_WORKER_POOL' as const;
  declare readonly code: 'ERR_WORKER_POOL';
  /** Stable reason sub-code: see {@link WorkerPoolReason}. */
  readonly reason: WorkerPoolReason;

  constructor(reason: WorkerPoolReason, message: string, options?: BpdsErrorOptions) {
    super(`${message} (${reason})`, options);
    this.reason = reason;
  }
}
