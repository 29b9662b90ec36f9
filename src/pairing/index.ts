/**
 * The pairing layer: the only part of bpds that touches mcl-wasm. Internal to the
 * package (schemes import from here); only `init` and `isInitialized` are
 * re-exported publicly.
 */
export { init, isInitialized } from './backend.js';
export * from './curve.js';
export { g2MulGenerator } from './fixed-base.js';
export * from './fr.js';
export * from './groups.js';
export * from './hash.js';
export * from './pairing.js';
export * from './types.js';
