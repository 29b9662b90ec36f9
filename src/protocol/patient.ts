/**
 * The patient of BPDS (Liu et al. 2018): owns their EMRs' permissions on the
 * ledger (the smart contract's patient-defined access permissions), grants and
 * revokes access, and for a grant limited to fields produces the
 * content-extracted presentation (Steinfeld–Bull–Zheng 2001, `Extract`),
 * encrypted with CP-ABE for the requester only.
 *
 * @module protocol/patient
 */
import { extract } from '../ces/index.js';
import type { Grant, Grantee, Ledger, PatientAttestation, PurposeOfUse } from '../chain/index.js';
import type { PublicKey, SecretKey } from '../cpabe/index.js';
import { InvalidArgumentError } from '../errors.js';
import { generateSigningKey, getPublicKey, type IndexRecord } from '../index-record/index.js';
import { assertBytes, assertObject, assertString } from '../internal/assert.js';
import { refuseLiveJson } from '../internal/json-form.js';
import { type AuditEntry, toAuditEntries } from './audit.js';
import type { BlobStore } from './blob-store.js';
import { ProtocolError } from './errors.js';
import { assertParticipantId, assertRecordId } from './identity.js';
import { presentationAudience, presentationPolicy } from './internal/audience.js';
import { assertGrantBase, grantBody } from './internal/grant.js';
import { cesSigningKey } from './internal/keys.js';
import { submit } from './internal/ledger.js';
import { readRecord } from './internal/open.js';
import { sealPresentation } from './internal/sealed.js';

/** Options of the {@link Patient} constructor. */
export interface PatientOptions {
  /** The patient's pseudonym: their ledger id and identity attribute `id:<id>`. */
  readonly id: string;
  readonly ledger: Ledger;
  readonly store: BlobStore;
  /** The authority's CP-ABE public key (to encrypt presentations). */
  readonly publicKey: PublicKey;
  /** The patient's CP-ABE key (at least `id:<id>`), to read their own records. */
  readonly key: SecretKey;
  /** The patient's 32-byte Ed25519 ledger secret key (default: fresh). */
  readonly secretKey?: Uint8Array;
}

/** A grant to make. */
export interface GrantInput {
  /** The index record's id. */
  readonly recordId: string;
  /** One requester by id, or every requester whose registered attributes satisfy a policy. */
  readonly to: Grantee;
  /** Limit to these fields (JSON Pointers, e.g. `/code`); the patient then produces a presentation. */
  readonly fields?: readonly string[];
  /** Allowed purposes (default: any except break-glass). */
  readonly purposes?: readonly PurposeOfUse[];
  /** When the grant ends. */
  readonly expiresAt?: Date;
}

/** What {@link Patient.grant} returns. */
export interface GrantReceipt {
  /** The grant's id on the ledger. */
  readonly grantId: string;
  /**
   * For a field-limited grant: the locator of the encrypted presentation, to hand
   * to the requester (it opens only for them, and only for this grant).
   */
  readonly presentation?: string;
}

/**
 * A patient: lists their index records, grants and revokes access, reads the audit log.
 *
 * @example
 * ```ts
 * import type { Patient } from 'bpds/protocol';
 * declare const alice: Patient;
 * const [first] = await alice.records();
 * const { grantId, presentation } = await alice.grant({
 *   recordId: first!.recordId,
 *   to: { requester: 'insurer-7' },
 *   fields: ['/code', '/valueQuantity', '/effectiveDateTime'],
 *   purposes: ['HPAYMT'],
 *   expiresAt: new Date(Date.now() + 30 * 86400_000),
 * });
 * ```
 */
export class Patient {
  /** The patient's pseudonym. */
  readonly id: string;
  readonly #ledger: Ledger;
  readonly #store: BlobStore;
  readonly #publicKey: PublicKey;
  readonly #key: SecretKey;
  readonly #secretKey: Uint8Array;

  /** @throws {InvalidArgumentError} for a bad id or key. */
  constructor(options: PatientOptions) {
    assertObject(options, 'options');
    assertParticipantId(options.id, 'options.id');
    if (options.secretKey !== undefined) assertBytes(options.secretKey, 'options.secretKey', 32);
    this.id = options.id;
    this.#ledger = options.ledger;
    this.#store = options.store;
    this.#publicKey = options.publicKey;
    this.#key = options.key;
    this.#secretKey = options.secretKey?.slice() ?? generateSigningKey().secretKey;
  }

  /** The patient's public identity: id and Ed25519 public key. */
  get identity(): { readonly id: string; readonly publicKey: string } {
    return { id: this.id, publicKey: getPublicKey(this.#secretKey) };
  }

  /**
   * Register on the ledger with the patient's key, carrying the attestation a registered
   * hospital ({@link Hospital.attestPatient}) or the authority ({@link Authority.attestPatient})
   * made for this pseudonym and key: the ledger refuses a patient registration without one.
   *
   * @throws {InvalidArgumentError} when `attestation` is not an attestation object.
   * @throws {ProtocolError} `step: 'grant'` with the ledger's reason when refused
   *   (`INVALID_ATTESTATION`, `ALREADY_REGISTERED`…).
   */
  async register(attestation: PatientAttestation): Promise<void> {
    assertObject(attestation, 'attestation');
    assertString(attestation.by, 'attestation.by', 256);
    assertString(attestation.sig, 'attestation.sig', 128);
    await submit(
      this.#ledger,
      this.id,
      this.#secretKey,
      'registerPatient',
      {
        id: this.id,
        publicKey: getPublicKey(this.#secretKey),
        attestation: { by: attestation.by, sig: attestation.sig },
      },
      'grant',
    );
  }

  /** The patient's index records, oldest first. */
  async records(): Promise<readonly IndexRecord[]> {
    return this.#ledger.listRecords(this.id);
  }

  /** Grants on one of the patient's records, revoked ones included. */
  async grants(recordId: string): Promise<readonly Grant[]> {
    assertRecordId(recordId, 'recordId');
    return this.#ledger.getPermissions(recordId);
  }

  /**
   * Grant access to a record. With `fields`, first reads and verifies the record
   * (as any requester would), extracts the fields under the hospital's signed
   * extraction rules, then encrypts the presentation for the grantee only.
   *
   * @throws {InvalidArgumentError} for malformed input.
   * @throws {ExtractionNotAllowedError} when the fields break the hospital's extraction rules (the message names the rule).
   * @throws {ProtocolError} with the failed step: reading the record (`index-record`,
   *   `ciphertext-digest`, `decrypt`, `signature`…) or `grant` when the ledger refuses.
   */
  async grant(input: GrantInput): Promise<GrantReceipt> {
    assertGrantBase(input);
    let fields: string[] | undefined;
    if (input.fields !== undefined) {
      if (!Array.isArray(input.fields) || input.fields.length === 0) {
        throw new InvalidArgumentError('"input.fields" expected a non-empty array of JSON Pointers');
      }
      fields = input.fields.map((f, i) => {
        assertString(f, `input.fields[${i}]`, 1024);
        return f;
      });
    }
    // For a field-limited grant, read the record and check the selection against the
    // extraction rules before touching the ledger, so a refused selection leaves no grant.
    const read =
      fields === undefined
        ? undefined
        : await (async () => {
            const read = await readRecord(this.#ledger, this.#store, this.#key, input.recordId);
            if (read.index.record.patient !== this.id) {
              throw new ProtocolError('grant', 'NOT_OWNER', 'the record belongs to another patient');
            }
            extract(read.signed, read.record, fields); // checks the extraction rules before the grant
            return read;
          })();

    const receipt = await submit(
      this.#ledger,
      this.id,
      this.#secretKey,
      'grantAccess',
      grantBody(input, fields),
      'grant',
    );
    const grantId = receipt.txId;
    if (read === undefined || fields === undefined) return { grantId };

    const grant = (await this.#ledger.getPermissions(input.recordId)).find((g) => g.grantId === grantId);
    if (grant === undefined)
      throw new ProtocolError('grant', 'UNKNOWN_GRANT', 'the ledger does not show the new grant');
    const { record } = read.index;
    const audience = presentationAudience(grant.grantee);
    // The patient, as the holder named by the hospital, binds the presentation to this
    // grant: audience = the grantee, nonce = the grant id.
    const bound = extract(read.signed, read.record, fields, {
      holder: { key: cesSigningKey(this.#secretKey), audience, nonce: grantId },
    });
    const ciphertext = await sealPresentation(
      this.#publicKey,
      presentationPolicy(grant.grantee),
      {
        recordId: record.recordId,
        hospitalId: record.hospital.id,
        patientId: record.patient,
        grantId,
        requesterId: audience,
      },
      bound,
    );
    return { grantId, presentation: await this.#store.put(ciphertext) };
  }

  /**
   * Revoke a grant.
   *
   * @throws {ProtocolError} `step: 'grant'` with the ledger's reason (unknown grant, not the owner, already revoked).
   */
  async revoke(grantId: string): Promise<void> {
    assertString(grantId, 'grantId', 256);
    await submit(this.#ledger, this.id, this.#secretKey, 'revokeAccess', { grantId }, 'grant');
  }

  /**
   * Name a custodian (e.g. a parent of a minor): a registered patient or requester who may
   * then grant and revoke access to this patient's records (see {@link Custodian}).
   *
   * @throws {ProtocolError} `step: 'grant'` with the ledger's reason (unknown party, already a custodian…).
   */
  async addCustodian(custodian: string): Promise<void> {
    assertParticipantId(custodian, 'custodian');
    await submit(this.#ledger, this.id, this.#secretKey, 'addCustodian', { patient: this.id, custodian }, 'grant');
  }

  /**
   * Remove a custodian. The ledger also revokes every live grant that custodian made on this
   * patient's records (an `AccessRevoked` event each, naming the custodian): re-grant what you
   * want to keep.
   *
   * @throws {ProtocolError} `step: 'grant'` with the ledger's reason (`NOT_CUSTODIAN`…).
   */
  async removeCustodian(custodian: string): Promise<void> {
    assertParticipantId(custodian, 'custodian');
    await submit(this.#ledger, this.id, this.#secretKey, 'removeCustodian', { patient: this.id, custodian }, 'grant');
  }

  /** The patient's audit log: every publication, grant, revocation, request, denial and break-glass access. */
  async auditLog(): Promise<readonly AuditEntry[]> {
    return toAuditEntries(await this.#ledger.getAuditLog(this.id));
  }

  /**
   * No JSON form: a Patient is a live object, so `JSON.stringify` throws
   * rather than write `{}` or a few public fields.
   *
   * @throws InvalidArgumentError always
   */
  toJSON(): never {
    return refuseLiveJson(
      'a Patient',
      'it holds its signing key; keep the key you passed as `secretKey` (or the identity) instead',
    );
  }
}
