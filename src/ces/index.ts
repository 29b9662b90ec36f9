/**
 * bpds/ces (filled in by its issue).
 *
 * @module ces
 */
export {};
