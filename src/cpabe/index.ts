/**
 * bpds/cpabe (filled in by its issue).
 *
 * @module cpabe
 */
export {};
