/**
 * bpds/protocol: the BPDS data-sharing flow (Liu et al., "BPDS: A Blockchain
 * based Privacy-Preserving Data Sharing for Electronic Medical Records", 2018)
 * composed from the primitives: CP-ABE, content extraction signatures, index
 * records and the ledger, with content-addressed blob stores that keep the
 * encrypted EMRs off-chain. See docs/protocol.md.
 *
 * Roles: {@link Authority} (CP-ABE setup, keys, enrollment), {@link Hospital}
 * (sign, encrypt, store, publish), {@link Patient} (records, grants, revocations,
 * presentations, audit), {@link Requester} (request, fetch, check, decrypt, verify).
 * Every failed check throws {@link ProtocolError} naming the step.
 *
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { MemoryLedger } from 'bpds/chain';
 * import { Authority, Hospital, MemoryBlobStore } from 'bpds/protocol';
 * await init();
 * const authority = Authority.create();
 * const ledger = new MemoryLedger({ chainId: 'demo', authorities: [authority.genesis] });
 * const store = new MemoryBlobStore();
 * const hospital = new Hospital({ id: 'st-mary', ledger, store, publicKey: authority.publicKey });
 * await authority.registerHospital(ledger, hospital.identity);
 * ```
 *
 * @module protocol
 */
export { type AuditEntry, type AuditKind, formatAuditLog, toAuditEntries } from './audit.js';
export {
  Authority,
  type AuthorityOptions,
  type Enrollment,
  type KeySubject,
  type ParticipantIdentity,
} from './authority.js';
export {
  type BlobStore,
  type BlobStoreOptions,
  blobLocator,
  checkBlob,
  DEFAULT_MAX_BLOB_SIZE,
  parseBlobLocator,
} from './blob-store.js';
export {
  BlobHasher,
  DEFAULT_MAX_STREAM_SIZE,
  getBlobStream,
  putBlobStream,
  verifiedBlobStream,
} from './blob-stream.js';
export { Custodian, type CustodianGrantInput, type CustodianOptions } from './custodian.js';
export { PROTOCOL_REASONS, ProtocolError, type ProtocolReason, type ProtocolStep } from './errors.js';
export {
  Hospital,
  type HospitalOptions,
  type PublishedRecord,
  type PublishInput,
  type PublishStreamInput,
} from './hospital.js';
export { assertParticipantId, assertRecordId, IDENTITY_PREFIX, identityAttribute } from './identity.js';
export { MemoryBlobStore } from './memory-blob-store.js';
export { type GrantInput, type GrantReceipt, Patient, type PatientOptions } from './patient.js';
export type { AccessResult, VerificationReport } from './report.js';
export {
  type AccessRequest,
  type AccessStreamResult,
  Requester,
  type RequesterOptions,
} from './requester.js';
