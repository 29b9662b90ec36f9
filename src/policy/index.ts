/**
 * bpds/policy (filled in by its issue).
 *
 * @module policy
 */
export {};
