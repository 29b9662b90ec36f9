/**
 * bpds/chain (filled in by its issue).
 *
 * @module chain
 */
export {};
