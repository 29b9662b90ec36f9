/**
 * {@link createWorkerPool} and {@link WorkerPool}: the CP-ABE API on all cores.
 */
import { MAX_PLAINTEXT_BYTES } from '../cpabe/hybrid.js';
import { preparePolicy } from '../cpabe/internal/policy-bridge.js';
import {
  type MasterKey,
  masterKeyInner,
  type PublicKey,
  publicKeyInner,
  type SecretKey,
  secretKeyInner,
} from '../cpabe/keys.js';
import { MAX_KEY_ATTRIBUTES } from '../cpabe/setup.js';
import { InvalidArgumentError } from '../errors.js';
import { assertBytes, assertInteger, assertObject, assertString, describe } from '../internal/assert.js';
import { refuseLiveJson } from '../internal/json-form.js';
import type { Policy } from '../policy/index.js';
import type { KeyRef, TaskArgs, TaskOp, TaskResults } from './messages.js';
import { Scheduler } from './pool.js';
import { hardwareConcurrency } from './spawn.js';
import { secretKeyFromWorker } from './trusted-key.js';

const schedulers = new WeakMap<WorkerPool, Scheduler>();

/** The scheduler of a pool (tests and the benchmark read its counters). @internal */
export const schedulerOf = (pool: WorkerPool): Scheduler => schedulers.get(pool) as Scheduler;

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /** Number of workers, 1..256. Default: the number of logical CPUs (`availableParallelism()` in Node, `navigator.hardwareConcurrency` in browsers). */
  readonly size?: number;
  /**
   * The worker script, when the default `new URL('./worker.js', import.meta.url)` (next to
   * the package's modules) is not served, e.g. a bundler that does not follow that pattern:
   * point it at a copy of `bpds/dist/worker.js` (or your bundle of it).
   */
  readonly workerUrl?: string | URL;
}

/** Options of {@link WorkerPool.encrypt} and {@link WorkerPool.decrypt}: as `encrypt`/`decrypt` of bpds/cpabe. */
export interface PoolHybridOptions {
  /** Extra data authenticated (not encrypted) with the ciphertext; decrypt must pass the same bytes. */
  readonly associatedData?: Uint8Array;
}

function adOf(o: unknown): Uint8Array | undefined {
  if (o === undefined) return undefined;
  assertObject(o, 'options');
  const ad = (o as PoolHybridOptions).associatedData;
  if (ad === undefined) return undefined;
  assertBytes(ad, 'options.associatedData');
  return ad;
}

/** Policy text to send: strings as given (the worker parses them), Policy objects formatted here. */
const policyText = (policy: unknown): string =>
  typeof policy === 'string' ? policy : preparePolicy(policy as Policy, 'policy').text;

/**
 * A pool of workers (Node `worker_threads`, or Web Workers in browsers) running the
 * CP-ABE API of `bpds/cpabe`. Each method takes the same arguments and gives the same
 * results and errors as its synchronous counterpart: byte-identical where the
 * operation is deterministic (decrypt, decapsulate), and of the identical format,
 * decrypting identically, where it is randomized (encrypt, encapsulate, keygen).
 * Concurrent calls spread over the workers; a large decryption (Waters11, BSW07)
 * additionally shares its Miller loops and G2 subgroup checks with idle workers and
 * finishes with one final exponentiation. Each worker loads the WebAssembly backend
 * once. Close the pool with {@link WorkerPool.close} when done (in Node, an idle
 * pool does not keep the process alive).
 *
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { setup } from 'bpds/cpabe';
 * import { createWorkerPool } from 'bpds/workers';
 * await init();
 * const { publicKey, masterKey } = setup({ scheme: 'waters11' });
 * const pool = createWorkerPool({ size: 2 });
 * try {
 *   const sk = await pool.keygen(masterKey, ['cardiology', 'doctor']);
 *   const ct = await pool.encrypt(publicKey, 'cardiology and doctor', new TextEncoder().encode('EMR'));
 *   const pt = await pool.decrypt(sk, ct);
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
export class WorkerPool {
  readonly #s: Scheduler;
  readonly #ids = new WeakMap<object, KeyRef>();
  #nextKey = 1;

  /** @internal Use {@link createWorkerPool}. */
  constructor(s: Scheduler) {
    this.#s = s;
    schedulers.set(this, s);
  }

  /** The number of workers. */
  get size(): number {
    return this.#s.size;
  }

  /** Whether {@link WorkerPool.close} was called. */
  get closed(): boolean {
    return this.#s.closed;
  }

  /**
   * Resolves when every worker has loaded the WebAssembly backend (tasks may be
   * submitted before: they wait).
   * @throws {WorkerPoolError} `WORKER_START_FAILED` when a worker cannot start, `POOL_CLOSED` after close.
   */
  ready(): Promise<void> {
    return this.#s.ready();
  }

  #ref(key: object, bytes: () => Uint8Array): KeyRef {
    let ref = this.#ids.get(key);
    if (ref === undefined) {
      ref = { id: this.#nextKey++, bytes: bytes() };
      this.#ids.set(key, ref);
    }
    return ref;
  }

  #run<O extends TaskOp>(op: O, args: TaskArgs[O]): Promise<TaskResults[O]> {
    return this.#s.run(op, args) as Promise<TaskResults[O]>;
  }

  /**
   * `encrypt` of bpds/cpabe in a worker: CCA-secure hybrid encryption under `policy`.
   * @throws {InvalidArgumentError} for bad argument types or a plaintext over 2 GiB.
   * @throws {PolicySyntaxError} for bad policy text.
   * @throws {WorkerPoolError} when the pool is closed or the worker crashes.
   */
  async encrypt(
    publicKey: PublicKey,
    policy: string | Policy,
    plaintext: Uint8Array,
    opts?: PoolHybridOptions,
  ): Promise<Uint8Array> {
    const pub = publicKeyInner(publicKey);
    assertBytes(plaintext, 'plaintext');
    if (plaintext.length > MAX_PLAINTEXT_BYTES) {
      throw new InvalidArgumentError(`"plaintext" longer than ${MAX_PLAINTEXT_BYTES} bytes`);
    }
    const ad = adOf(opts);
    const text = policyText(policy);
    return this.#run('encrypt', { pk: this.#ref(publicKey, () => pub.bytes), policy: text, plaintext, ad });
  }

  /**
   * `decrypt` of bpds/cpabe in a worker (its Miller loops shared with idle workers).
   * @throws {InvalidArgumentError} for bad argument types.
   * @throws {InvalidEncodingError} for a malformed ciphertext.
   * @throws {PolicyNotSatisfiedError} when the key does not satisfy the policy.
   * @throws {DecryptionError} for every other failure: one generic error.
   * @throws {WorkerPoolError} when the pool is closed or a worker crashes.
   */
  async decrypt(secretKey: SecretKey, ciphertext: Uint8Array, opts?: PoolHybridOptions): Promise<Uint8Array> {
    secretKeyInner(secretKey);
    assertBytes(ciphertext, 'ciphertext');
    const ad = adOf(opts);
    return this.#run('decrypt', { sk: this.#ref(secretKey, () => secretKey.toBytes()), ct: ciphertext, ad });
  }

  /**
   * `keygen` of bpds/cpabe in a worker: a secret key for `attributes`.
   * @throws {InvalidArgumentError} for a bad master key or attribute list.
   * @throws {WorkerPoolError} when the pool is closed or the worker crashes.
   */
  async keygen(masterKey: MasterKey, attributes: readonly string[]): Promise<SecretKey> {
    masterKeyInner(masterKey);
    if (!Array.isArray(attributes))
      throw new InvalidArgumentError(`"attributes" expected Array, got ${describe(attributes)}`);
    if (attributes.length > MAX_KEY_ATTRIBUTES) {
      throw new InvalidArgumentError(`"attributes" has more than ${MAX_KEY_ATTRIBUTES} entries`);
    }
    attributes.forEach((a, i) => {
      assertString(a, `attributes[${i}]`, 1024);
    });
    const bytes = await this.#run('keygen', {
      mk: this.#ref(masterKey, () => masterKey.toBytes()),
      attributes: [...attributes],
    });
    return secretKeyFromWorker(bytes, masterKey);
  }

  /**
   * `encapsulate` of bpds/cpabe (the CPA KEM) in a worker.
   * @throws {InvalidArgumentError} for a bad public key or policy argument.
   * @throws {PolicySyntaxError} for bad policy text.
   * @throws {WorkerPoolError} when the pool is closed or the worker crashes.
   */
  async encapsulate(
    publicKey: PublicKey,
    policy: string | Policy,
  ): Promise<{ key: Uint8Array; encapsulation: Uint8Array }> {
    const pub = publicKeyInner(publicKey);
    const text = policyText(policy);
    return this.#run('encapsulate', { pk: this.#ref(publicKey, () => pub.bytes), policy: text });
  }

  /**
   * `decapsulate` of bpds/cpabe (the CPA KEM) in a worker.
   * @throws {InvalidArgumentError} for a bad key or argument type.
   * @throws {InvalidEncodingError} for a malformed encapsulation.
   * @throws {PolicyNotSatisfiedError} when the key does not satisfy the policy.
   * @throws {DecryptionError} for a scheme mismatch.
   * @throws {WorkerPoolError} when the pool is closed or a worker crashes.
   */
  async decapsulate(secretKey: SecretKey, encapsulation: Uint8Array): Promise<Uint8Array> {
    secretKeyInner(secretKey);
    assertBytes(encapsulation, 'encapsulation');
    return this.#run('decapsulate', { sk: this.#ref(secretKey, () => secretKey.toBytes()), enc: encapsulation });
  }

  /**
   * Stop every worker. Pending and queued tasks reject with `WorkerPoolError`
   * (`POOL_CLOSED`), as does every later call. Resolves when all workers have exited.
   * Idempotent.
   */
  close(): Promise<void> {
    return this.#s.close();
  }

  /** No JSON form (a live object): `JSON.stringify` throws. @throws InvalidArgumentError always */
  toJSON(): never {
    return refuseLiveJson('a WorkerPool', 'keep its options and create a pool again');
  }
}

/**
 * Start a pool of `size` workers, each of which loads the WebAssembly backend once.
 * Synchronous: workers start in the background (await {@link WorkerPool.ready} to
 * wait for them; tasks submitted earlier wait too).
 *
 * @throws {InvalidArgumentError} for bad options.
 * @example
 * ```ts
 * import { createWorkerPool } from 'bpds/workers';
 * const pool = createWorkerPool({ size: 4 });
 * await pool.ready();
 * await pool.close();
 * ```
 */
export function createWorkerPool(options: WorkerPoolOptions = {}): WorkerPool {
  assertObject(options, 'options');
  const size = options.size ?? hardwareConcurrency();
  assertInteger(size, 'options.size', 1, 256);
  const url = options.workerUrl;
  if (url !== undefined && typeof url !== 'string' && !(url instanceof URL)) {
    throw new InvalidArgumentError(`"options.workerUrl" expected string or URL, got ${describe(url)}`);
  }
  return new WorkerPool(new Scheduler(size, url));
}
