/**
 * Patient registration attestations. BPDS (J. Liu, X. Li, L. Ye, H. Zhang, X. Du,
 * M. Guizani, "BPDS: A Blockchain Based Privacy-Preserving Data Sharing for Electronic
 * Medical Records", IEEE GLOBECOM 2018, arXiv:1811.03223) lets the patient control their
 * records' permissions through their ledger identity; a pseudonym that anyone could claim
 * first would let an impostor own a patient's permissions. So `registerPatient` carries the
 * statement of a registered hospital (or a genesis authority) that this pseudonym belongs to
 * this key: Ed25519 (RFC 8032) by the attester's registered key over
 * `H("bpds/v1/ledger/patient-attestation", JCS({ v: 1, chain, id, publicKey, by }))`
 * (tagged SHA-256 over the RFC 8785 canonical form).
 */
import { publicKeyBytes, signDigest } from '../index-record/keys.js';
import { TAGS } from '../index-record/tags.js';
import { assertBytes, assertString } from '../internal/assert.js';
import { toBase64url } from '../internal/bytes.js';
import { canonicalBytes } from '../internal/jcs.js';
import { taggedHash } from '../internal/tagged-hash.js';
import type { PatientAttestation } from './types.js';

/** The 32-byte digest an attester signs (internal). `publicKey` is the base64url key text. */
export function attestationDigest(chain: string, id: string, publicKey: string, by: string): Uint8Array {
  return taggedHash(TAGS.ledgerPatientAttestation, canonicalBytes({ v: 1, chain, id, publicKey, by }));
}

/**
 * Attest that patient `patient.id` holds `patient.publicKey` on chain `chainId`: what a hospital
 * (or an authority) hands the patient after checking who they are, for their `registerPatient`
 * transaction. The ledger accepts it only if `attester.id` is a registered hospital or a genesis
 * authority whose registered key is the one behind `attester.secretKey`.
 *
 * @param chainId the ledger's `chainId`
 * @param patient the patient's pseudonym and Ed25519 public key (base64url text)
 * @param attester the attester's party id and 32-byte Ed25519 secret key
 * @throws InvalidArgumentError for arguments of the wrong type or length
 * @example
 * ```ts
 * import { attestPatient, createTransaction } from 'bpds/chain';
 * import { generateSigningKey } from 'bpds/index-record';
 * const hospital = generateSigningKey(); // registered as 'st-mary' by an authority
 * const patient = generateSigningKey();
 * const attestation = attestPatient('bpds-demo', { id: 'p-1', publicKey: patient.publicKey },
 *   { id: 'st-mary', secretKey: hospital.secretKey });
 * const tx = createTransaction('bpds-demo', 'p-1', 'registerPatient',
 *   { id: 'p-1', publicKey: patient.publicKey, attestation }, patient.secretKey);
 * ```
 */
export function attestPatient(
  chainId: string,
  patient: { readonly id: string; readonly publicKey: string },
  attester: { readonly id: string; readonly secretKey: Uint8Array },
): PatientAttestation {
  assertString(chainId, 'chainId');
  assertString(patient?.id, 'patient.id');
  publicKeyBytes(patient.publicKey, 'patient.publicKey');
  assertString(attester?.id, 'attester.id');
  assertBytes(attester.secretKey, 'attester.secretKey', 32);
  const digest = attestationDigest(chainId, patient.id, patient.publicKey, attester.id);
  return { by: attester.id, sig: toBase64url(signDigest(digest, attester.secretKey)) };
}
