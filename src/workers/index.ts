/**
 * bpds/workers: the CP-ABE API of bpds/cpabe on all cores, with Node `worker_threads`
 * or browser Web Workers behind one interface. Concurrent calls spread over the
 * workers; one large decryption shares its Miller loops and G2 subgroup checks with
 * idle workers and finishes with one final exponentiation. See docs/workers.md.
 *
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { setup } from 'bpds/cpabe';
 * import { createWorkerPool } from 'bpds/workers';
 * await init();
 * const { publicKey, masterKey } = setup({ scheme: 'waters11' });
 * const pool = createWorkerPool({ size: 2 });
 * const sk = await pool.keygen(masterKey, ['a', 'b']);
 * const records = [new Uint8Array([1]), new Uint8Array([2]), new Uint8Array([3])];
 * const cts = await Promise.all(records.map((r) => pool.encrypt(publicKey, 'a and b', r)));
 * const pts = await Promise.all(cts.map((c) => pool.decrypt(sk, c)));
 * await pool.close();
 * ```
 *
 * @module workers
 */
export { WORKER_POOL_REASONS, WorkerPoolError, type WorkerPoolReason } from './errors.js';
export { createWorkerPool, type PoolHybridOptions, WorkerPool, type WorkerPoolOptions } from './worker-pool.js';
