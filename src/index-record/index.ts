/**
 * bpds/index-record (filled in by its issue).
 *
 * @module index-record
 */
export {};
