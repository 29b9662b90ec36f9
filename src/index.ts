/**
 * bpds: the cryptographic core of BPDS, blockchain-based privacy-preserving
 * sharing of electronic medical records.
 *
 * The root entry point re-exports `init` and the error classes; each module has
 * its own subpath (`bpds/policy`, `bpds/cpabe`, `bpds/ces`, `bpds/index-record`,
 * `bpds/chain`, `bpds/protocol`, `bpds/errors`).
 *
 * @module bpds
 */

export * from './errors.js';
export { init, isInitialized } from './pairing/backend.js';
