/**
 * The part of a grant that patients and custodians share: validating the input
 * and building the ledger's `grantAccess` body. Internal.
 */
import type { Grantee, PurposeOfUse } from '../../chain/index.js';
import { InvalidArgumentError } from '../../errors.js';
import { assertObject } from '../../internal/assert.js';
import { assertRecordId } from '../identity.js';

/** Fields every grant has (a patient's grant may add `fields`). */
export interface GrantBase {
  readonly recordId: string;
  readonly to: Grantee;
  readonly purposes?: readonly PurposeOfUse[];
  readonly expiresAt?: Date;
}

/** @throws {InvalidArgumentError} naming the malformed part of `input`. */
export function assertGrantBase(input: GrantBase): void {
  assertObject(input, 'input');
  assertRecordId(input.recordId, 'input.recordId');
  assertObject(input.to, 'input.to');
  if (
    input.expiresAt !== undefined &&
    !(input.expiresAt instanceof Date && Number.isFinite(input.expiresAt.getTime()))
  ) {
    throw new InvalidArgumentError('"input.expiresAt" expected a valid Date');
  }
}

/** The `grantAccess` transaction body (expiry as RFC 3339 UTC, whole seconds). */
export function grantBody(input: GrantBase, fields?: readonly string[]) {
  return {
    recordId: input.recordId,
    grantee: input.to,
    ...(fields === undefined ? {} : { fields: [...fields] }),
    ...(input.purposes === undefined ? {} : { purposes: [...input.purposes] }),
    ...(input.expiresAt === undefined ? {} : { expiresAt: `${input.expiresAt.toISOString().slice(0, 19)}Z` }),
  };
}
