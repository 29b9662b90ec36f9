/**
 * The contract's custom errors and the stable `LedgerError` reasons they map to (the same
 * reasons `MemoryLedger` gives, `docs/ledger.md` §1), plus the reasons only an EVM node causes.
 */
import { LedgerError, type LedgerReason } from '../errors.js';

/** Custom error of `BpdsPermissions` → `LedgerError.reason`. */
export const REVERT_REASONS: Readonly<Record<string, LedgerReason>> = {
  ReplayedNonce: 'REPLAYED_NONCE',
  UnknownActor: 'UNKNOWN_ACTOR',
  UnauthorizedSigner: 'UNAUTHORIZED_SIGNER',
  NotActorAccount: 'UNAUTHORIZED_SIGNER',
  AlreadyRegistered: 'ALREADY_REGISTERED',
  UnknownPatient: 'UNKNOWN_PATIENT',
  UnknownParty: 'UNKNOWN_PARTY',
  UnknownRecord: 'UNKNOWN_RECORD',
  UnknownGrant: 'UNKNOWN_GRANT',
  InvalidRecord: 'INVALID_RECORD',
  DuplicateRecord: 'DUPLICATE_RECORD',
  DuplicateAnchor: 'DUPLICATE_ANCHOR',
  BrokenRecordChain: 'BROKEN_RECORD_CHAIN',
  Expired: 'EXPIRED',
  InvalidCustodian: 'INVALID_CUSTODIAN',
  AlreadyCustodian: 'ALREADY_CUSTODIAN',
  NotCustodian: 'NOT_CUSTODIAN',
  AlreadyRevoked: 'ALREADY_REVOKED',
  InvalidPolicy: 'INVALID_POLICY',
  MalformedTransaction: 'MALFORMED_TRANSACTION',
  InvalidAttestation: 'INVALID_ATTESTATION',
  TooManyGrants: 'TOO_MANY_GRANTS',
};

/**
 * Reasons only the EVM adapter gives (besides those of `MemoryLedger`):
 * `NODE_UNAVAILABLE` (the node does not answer, or dropped the connection: nothing already
 * confirmed is lost; a transaction sent just before may still be mined, see the message),
 * `TX_REJECTED` (the node refused the transaction, e.g. no funds for gas), `TX_REVERTED` (a
 * revert without a known custom error), `NO_ACCOUNT` (no EVM account for the acting party),
 * `NO_CONTRACT` (no permission contract at the address).
 */
export type EvmOnlyReason = 'NODE_UNAVAILABLE' | 'TX_REJECTED' | 'TX_REVERTED' | 'NO_ACCOUNT' | 'NO_CONTRACT';

/** A LedgerError for a decoded custom error name. */
export function revertError(name: string, cause?: unknown): LedgerError {
  const reason = REVERT_REASONS[name];
  if (reason === undefined) return new LedgerError('TX_REVERTED', `the contract reverted (${name})`, { cause });
  return new LedgerError(reason, `the permission contract refused the transaction: ${name}`, { cause });
}
