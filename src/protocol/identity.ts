/**
 * Identities of BPDS participants and their identity attributes.
 *
 * A participant id (hospital, patient pseudonym, requester) is 1 to 64
 * characters of letters, digits and `_ - .`; its CP-ABE identity attribute is
 * `id:<id>`, which only the {@link Authority} puts into keys, so a policy naming
 * `id:insurer-7` opens for that requester alone.
 *
 * @module protocol/identity
 */
import { InvalidArgumentError } from '../errors.js';
import { assertString } from '../internal/assert.js';

const ID_RE = /^[A-Za-z0-9_.-]{1,64}$/;

/** The prefix reserved for identity attributes. */
export const IDENTITY_PREFIX = 'id:';

/**
 * Throw unless `id` is a valid participant id (1 to 64 of `A-Z a-z 0-9 _ - .`).
 *
 * @throws {InvalidArgumentError} naming `name`.
 * @example
 * ```ts
 * import { assertParticipantId } from 'bpds/protocol';
 * assertParticipantId('insurer-7', 'requesterId');
 * ```
 */
export function assertParticipantId(id: unknown, name: string): asserts id is string {
  assertString(id, name, 64);
  if (!ID_RE.test(id)) {
    throw new InvalidArgumentError(`"${name}" expected 1 to 64 characters of letters, digits, '_', '-' or '.'`);
  }
}

/**
 * The CP-ABE identity attribute of a participant: `id:<id>`.
 *
 * @throws {InvalidArgumentError} when `id` is not a valid participant id.
 * @example
 * ```ts
 * import { identityAttribute } from 'bpds/protocol';
 * identityAttribute('insurer-7'); // 'id:insurer-7'
 * ```
 */
export function identityAttribute(id: string): string {
  assertParticipantId(id, 'id');
  return IDENTITY_PREFIX + id;
}

const RECORD_ID_RE = /^[A-Za-z0-9_-]{22}$/;

/**
 * Throw unless `id` is an index record id (base64url of 16 bytes, 22 characters).
 *
 * @throws {InvalidArgumentError} naming `name`.
 * @example
 * ```ts
 * import { assertRecordId } from 'bpds/protocol';
 * assertRecordId('qDlbC5WM0YJqUmBE22D6Aw', 'recordId');
 * ```
 */
export function assertRecordId(id: unknown, name: string): asserts id is string {
  assertString(id, name, 64);
  if (!RECORD_ID_RE.test(id))
    throw new InvalidArgumentError(`"${name}" expected a record id (22 base64url characters)`);
}
