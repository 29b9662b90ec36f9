/**
 * bpds/index-record: canonical, signed index records of encrypted EMRs, tagged
 * hashing and Merkle batching. Never loads the WebAssembly backend.
 *
 * @module index-record
 */
export type { JsonForm } from '../internal/json-form.js';
export { generateSigningKey, getPublicKey, keyFingerprint, SIGNATURE_ALG, type SigningKeyPair } from './keys.js';
export { MerkleProof, merkleProof, merkleRoot, verifyMerkleProof } from './merkle.js';
export {
  canonicalize,
  createRecord,
  type IndexRecord,
  parseRecord,
  RECORD_LIMITS,
  RECORD_VERSION,
  type RecordCiphertext,
  type RecordHospital,
  type RecordInput,
  type RecordSignature,
  recordDigest,
  serializeRecord,
  signRecord,
  type UnsignedIndexRecord,
  validateRecord,
  verifyRecord,
} from './record.js';
export { cesHeaderDigest, ciphertextDigest, TAGS } from './tags.js';
