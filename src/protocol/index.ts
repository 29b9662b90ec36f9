/**
 * bpds/protocol: the BPDS data-sharing flow composed from the primitives
 * (CP-ABE, content extraction signatures, index records, the ledger), with the
 * content-addressed blob stores that keep encrypted EMRs off-chain.
 *
 * @module protocol
 */
export { Authority, type AuthorityOptions, type KeySubject } from './authority.js';
export {
  type BlobStore,
  type BlobStoreOptions,
  blobLocator,
  checkBlob,
  DEFAULT_MAX_BLOB_SIZE,
  MemoryBlobStore,
  parseBlobLocator,
} from './blob-store.js';
export { ProtocolError, type ProtocolStep } from './errors.js';
export { FileBlobStore } from './file-blob-store.js';
export { assertParticipantId, IDENTITY_PREFIX, identityAttribute } from './identity.js';
