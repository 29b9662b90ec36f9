/**
 * bpds/protocol (filled in by its issue).
 *
 * @module protocol
 */
export {};
