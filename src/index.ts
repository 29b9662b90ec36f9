/**
 * bpds: the cryptographic core of BPDS, blockchain-based privacy-preserving
 * sharing of electronic medical records.
 *
 * The root entry point exports `init()`, the error classes, and every module as a
 * namespace. Each module also has its own subpath (`bpds/policy`, `bpds/cpabe`,
 * `bpds/ces`, `bpds/index-record`, `bpds/chain`, `bpds/protocol`, `bpds/errors`);
 * importing a subpath directly keeps bundles small.
 *
 * @example
 * ```ts
 * import { cpabe, init } from 'bpds';
 * await init();
 * const { publicKey, masterKey } = cpabe.setup();
 * ```
 *
 * @module bpds
 */
export * as ces from './ces/index.js';
export * as chain from './chain/index.js';
export * as cpabe from './cpabe/index.js';
export * from './errors.js';
export * as indexRecord from './index-record/index.js';
export { type InitOptions, init, isInitialized } from './pairing/backend.js';
export type { CurveName } from './pairing/curve.js';
export * as policy from './policy/index.js';
export * as protocol from './protocol/index.js';
