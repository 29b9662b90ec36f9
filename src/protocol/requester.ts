/**
 * The data requester of BPDS (Liu et al. 2018, the data sharing phase): asks the
 * ledger's permission contract for access with an HL7 PurposeOfUse, fetches the
 * ciphertext from the cloud, checks it against the hospital-signed index record,
 * decrypts it with its CP-ABE attribute key, and verifies the hospital's content
 * extraction signature (Steinfeld–Bull–Zheng 2001, `Verify`) on what was
 * disclosed. Nothing is returned unless every check passed.
 *
 * @module protocol/requester
 */
import { extract } from '../ces/index.js';
import type { Grant, Ledger, PurposeOfUse } from '../chain/index.js';
import { PURPOSES_OF_USE } from '../chain/index.js';
import type { SecretKey } from '../cpabe/index.js';
import { InvalidArgumentError } from '../errors.js';
import { ciphertextDigest, generateSigningKey, getPublicKey } from '../index-record/index.js';
import { assertBytes, assertObject, assertString } from '../internal/assert.js';
import { toBase64url } from '../internal/bytes.js';
import { refuseLiveJson } from '../internal/json-form.js';
import { parsePolicy, satisfies } from '../policy/index.js';
import type { BlobStore } from './blob-store.js';
import { ProtocolError } from './errors.js';
import { assertParticipantId, assertRecordId } from './identity.js';
import { presentationAudience } from './internal/audience.js';
import { cesVerifyKey } from './internal/keys.js';
import { fetchCiphertextStream, loadIndexRecord, submit } from './internal/ledger.js';
import { checkHeaderBinding, readRecord } from './internal/open.js';
import { openPresentation } from './internal/sealed.js';
import { openRecordStream } from './internal/sealed-stream.js';
import { type AccessResult, toPointer, type VerificationReport } from './report.js';

/** Whether a grantee policy (canonical text from the ledger) is satisfied by registered attributes. */
function grantsTo(policy: string, attributes: readonly string[] | undefined): boolean {
  try {
    return attributes !== undefined && satisfies(parsePolicy(policy), attributes);
  } catch {
    return false;
  }
}

/** Options of the {@link Requester} constructor. */
export interface RequesterOptions {
  /** The requester's registered ledger id (also its identity attribute `id:<id>`). */
  readonly id: string;
  readonly ledger: Ledger;
  readonly store: BlobStore;
  /** The CP-ABE attribute key issued by the authority. */
  readonly key: SecretKey;
  /** The requester's 32-byte Ed25519 ledger secret key (default: fresh). */
  readonly secretKey?: Uint8Array;
}

/** The result of {@link Requester.accessStream}. */
export interface AccessStreamResult extends AccessResult {
  /** The attachment: complete and verified only when it closes; it errors on any failure. */
  readonly content: ReadableStream<Uint8Array>;
}

/** An access request. */
export interface AccessRequest {
  /** The index record's id. */
  readonly recordId: string;
  /** HL7 PurposeOfUse, e.g. `'TREAT'`, `'HPAYMT'`, or `'ETREAT'` for break-glass. */
  readonly purpose: PurposeOfUse;
  /** For a field-limited grant: the locator of the patient's presentation (the patient hands it over with the grant). */
  readonly presentation?: string;
}

/**
 * A requester: a clinician, insurer or researcher who reads records.
 *
 * @example
 * ```ts
 * import type { Requester } from 'bpds/protocol';
 * declare const cardiologist: Requester;
 * declare const recordId: string;
 * const { record, report } = await cardiologist.access({ recordId, purpose: 'TREAT' });
 * console.log(report.signedBy.hospital, report.disclosedFields.length);
 * ```
 */
export class Requester {
  /** The requester's ledger id. */
  readonly id: string;
  readonly #ledger: Ledger;
  readonly #store: BlobStore;
  readonly #key: SecretKey;
  readonly #secretKey: Uint8Array;

  /** @throws {InvalidArgumentError} for a bad id or key. */
  constructor(options: RequesterOptions) {
    assertObject(options, 'options');
    assertParticipantId(options.id, 'options.id');
    if (options.secretKey !== undefined) assertBytes(options.secretKey, 'options.secretKey', 32);
    this.id = options.id;
    this.#ledger = options.ledger;
    this.#store = options.store;
    this.#key = options.key;
    this.#secretKey = options.secretKey?.slice() ?? generateSigningKey().secretKey;
  }

  /**
   * The grant a presentation is for: the first field-limited grant on the record, in grant
   * order, that is not revoked, names this requester (by id, or by a policy its registered
   * attributes satisfy) and allows the purpose. The contract decides on the request; this only
   * chooses what to ask for (expiry is the contract's call: the ledger's clock rules).
   */
  async #presentationGrant(recordId: string, purpose: PurposeOfUse): Promise<Grant | undefined> {
    const [grants, me] = await Promise.all([this.#ledger.getPermissions(recordId), this.#ledger.getParty(this.id)]);
    return grants.find(
      (g) =>
        g.fields !== undefined &&
        g.revokedAt === undefined &&
        (g.purposes === undefined || g.purposes.includes(purpose)) &&
        ('requester' in g.grantee ? g.grantee.requester === this.id : grantsTo(g.grantee.policy, me?.attributes)),
    );
  }

  /** The requester's public identity: id and Ed25519 public key (the authority enrolls it). */
  get identity(): { readonly id: string; readonly publicKey: string } {
    return { id: this.id, publicKey: getPublicKey(this.#secretKey) };
  }

  /**
   * Ask for access and, when the ledger grants it, fetch, decrypt and verify the record.
   *
   * @throws {InvalidArgumentError} for a malformed request.
   * @throws {ProtocolError} naming the failed step: `access` (denied, revoked or
   *   expired grant, replay, missing presentation), `index-record` (unknown record,
   *   bad hospital signature), `blob-store`/`blob-integrity`, `ciphertext-digest`,
   *   `decrypt` (attributes do not satisfy the policy, tampering), `envelope`,
   *   `signature` (the hospital's CES does not verify, or belongs to another record),
   *   `grant` (a presentation discloses more than granted).
   */
  async access(request: AccessRequest): Promise<AccessResult> {
    const { decision, access, held } = await this.#decide(request);

    if (decision.fields === undefined) {
      const read = await readRecord(this.#ledger, this.#store, this.#key, request.recordId);
      const { record } = read.index;
      const report: VerificationReport = {
        source: 'record',
        recordId: record.recordId,
        indexRecordDigest: read.index.digest,
        patient: record.patient,
        signedBy: { hospital: record.hospital.id, keyFingerprint: record.hospital.keyFingerprint },
        signedAt: new Date(read.verification.issuedAt * 1000).toISOString(),
        publishedAt: record.createdAt,
        ciphertextDigest: record.ciphertext.digest,
        ces: {
          scheme: read.verification.scheme,
          documentId: read.verification.documentId,
          rulesId: read.verification.rulesId,
        },
        disclosedFields: read.verification.claims.map((c) => toPointer(c.path)),
        grantedFields: 'all',
        fieldsHidden: false,
        access,
      };
      return { record: read.record, report };
    }

    // Fields were granted (only ever for a request that named them, i.e. with a presentation of
    // the grant `held`): read the patient's presentation for that grant, never the full record.
    if (request.presentation === undefined || held === undefined) {
      throw new ProtocolError(
        'access',
        'PRESENTATION_REQUIRED',
        'the grant is limited to fields: pass the locator of the patient presentation',
      );
    }
    const grant = held;
    const index = await loadIndexRecord(this.#ledger, request.recordId);
    const { record } = index;
    let bytes: Uint8Array;
    try {
      bytes = await this.#store.get(request.presentation);
    } catch (e) {
      if (e instanceof InvalidArgumentError) {
        throw new ProtocolError('blob-store', 'BAD_LOCATOR', 'invalid presentation locator', { cause: e });
      }
      throw e;
    }
    const { presentation, verification } = await openPresentation(
      this.#key,
      bytes,
      {
        recordId: record.recordId,
        hospitalId: record.hospital.id,
        patientId: record.patient,
        grantId: grant.grantId,
        requesterId: presentationAudience(grant.grantee),
      },
      cesVerifyKey(index.hospitalKey),
    );
    checkHeaderBinding(presentation, record.cesHeaderDigest);
    const granted = decision.fields;
    const disclosed = verification.claims.map((c) => toPointer(c.path));
    const outside = disclosed.filter((p) => !granted.some((f) => p === f || p.startsWith(`${f}/`)));
    if (outside.length > 0) {
      throw new ProtocolError('grant', 'FIELDS_EXCEED_GRANT', `the presentation discloses fields outside the grant`);
    }
    const report: VerificationReport = {
      source: 'presentation',
      recordId: record.recordId,
      indexRecordDigest: index.digest,
      patient: record.patient,
      signedBy: { hospital: record.hospital.id, keyFingerprint: record.hospital.keyFingerprint },
      signedAt: new Date(verification.issuedAt * 1000).toISOString(),
      publishedAt: record.createdAt,
      ciphertextDigest: toBase64url(ciphertextDigest(bytes)),
      ces: { scheme: verification.scheme, documentId: verification.documentId, rulesId: verification.rulesId },
      disclosedFields: disclosed,
      grantedFields: [...granted],
      fieldsHidden: true,
      access,
    };
    return { record: verification.disclosed ?? null, report };
  }

  /**
   * Like {@link Requester.access} for a record published with `Hospital.publishStream`:
   * fetches the ciphertext as a stream, so a gigabyte study flows from the store to the
   * caller without ever being whole in memory. The index record, the CP-ABE header (CCA
   * check), the envelope and the hospital's CES signature over `record` are verified
   * before this resolves. `content` then delivers the attachment segment by segment, each
   * after its STREAM tag verified; the ciphertext's digest and size against the index
   * record, the blob address and the STREAM end are checked at the end. So `content` is
   * complete and verified ONLY when it closes: on any failure it errors (a `ProtocolError`
   * naming the step) instead, and whatever was received must be discarded.
   * Full-record grants only (a field-limited grant gives a presentation: use `access`).
   *
   * @throws {InvalidArgumentError} for a malformed request.
   * @throws {ProtocolError} as {@link Requester.access}; `access`/`PRESENTATION_REQUIRED` for a field-limited grant.
   * @example
   * ```ts
   * import type { Requester } from 'bpds/protocol';
   * declare const radiologist: Requester;
   * declare const recordId: string;
   * const { record, content } = await radiologist.accessStream({ recordId, purpose: 'TREAT' });
   * for await (const chunk of content) {
   *   // write to a temporary file; rename it only after the loop ends without an error
   * }
   * ```
   */
  async accessStream(request: AccessRequest): Promise<AccessStreamResult> {
    const { decision, access } = await this.#decide(request);
    if (decision.fields !== undefined) {
      throw new ProtocolError(
        'access',
        'PRESENTATION_REQUIRED',
        'the grant is limited to fields: read the patient presentation with access()',
      );
    }
    const index = await loadIndexRecord(this.#ledger, request.recordId);
    const { record } = index;
    const ciphertext = await fetchCiphertextStream(this.#store, record);
    const opened = await openRecordStream(
      this.#key,
      ciphertext,
      { recordId: record.recordId, hospitalId: record.hospital.id, patientId: record.patient },
      cesVerifyKey(index.hospitalKey),
      (signed, rec) => extract(signed, rec, [[]]),
    );
    try {
      checkHeaderBinding(opened.signed, record.cesHeaderDigest);
    } catch (e) {
      await opened.content.cancel(e);
      throw e;
    }
    const report: VerificationReport = {
      source: 'record',
      recordId: record.recordId,
      indexRecordDigest: index.digest,
      patient: record.patient,
      signedBy: { hospital: record.hospital.id, keyFingerprint: record.hospital.keyFingerprint },
      signedAt: new Date(opened.verification.issuedAt * 1000).toISOString(),
      publishedAt: record.createdAt,
      ciphertextDigest: record.ciphertext.digest,
      ces: {
        scheme: opened.verification.scheme,
        documentId: opened.verification.documentId,
        rulesId: opened.verification.rulesId,
      },
      disclosedFields: opened.verification.claims.map((c) => toPointer(c.path)),
      grantedFields: 'all',
      fieldsHidden: false,
      access,
    };
    return { record: opened.record, report, content: opened.content };
  }

  /** Validate the request and ask the ledger; throws unless access is granted. */
  async #decide(request: AccessRequest) {
    assertObject(request, 'request');
    assertRecordId(request.recordId, 'request.recordId');
    if (!(PURPOSES_OF_USE as readonly string[]).includes(request.purpose as string)) {
      throw new InvalidArgumentError(`"request.purpose" expected one of ${PURPOSES_OF_USE.join(', ')}`);
    }
    if (request.presentation !== undefined) assertString(request.presentation, 'request.presentation', 200);

    // With a presentation the requester asks for the fields of the field-limited grant it
    // holds; without one, for the whole record (which a field-limited grant never allows: the
    // contract then records a refusal, PRESENTATION_REQUIRED).
    const held =
      request.presentation === undefined ? undefined : await this.#presentationGrant(request.recordId, request.purpose);
    const receipt = await submit(
      this.#ledger,
      this.id,
      this.#secretKey,
      'requestAccess',
      {
        recordId: request.recordId,
        purpose: request.purpose,
        ...(held?.fields === undefined ? {} : { fields: [...held.fields] }),
      },
      'access',
    );
    const decision = receipt.decision;
    if (decision === undefined) throw new ProtocolError('access', 'NO_DECISION', 'the ledger returned no decision');
    if (decision.recordId !== request.recordId || decision.requester !== this.id) {
      throw new ProtocolError('access', 'DECISION_MISMATCH', 'the ledger returned a decision about another request');
    }
    if (!decision.granted) {
      throw new ProtocolError('access', decision.reason, `the ledger denied access to ${request.recordId}`);
    }
    const access = {
      requestId: decision.requestId,
      purpose: decision.purpose,
      reason: decision.reason,
      ...(decision.grantId === undefined ? {} : { grantId: decision.grantId }),
      ...(decision.expiresAt === undefined ? {} : { expiresAt: decision.expiresAt }),
    };
    return { decision, access, held };
  }

  /**
   * No JSON form: a Requester is a live object, so `JSON.stringify` throws
   * rather than write `{}` or a few public fields.
   *
   * @throws InvalidArgumentError always
   */
  toJSON(): never {
    return refuseLiveJson(
      'a Requester',
      'it holds its signing and CP-ABE keys; keep the keys you passed in (or the identity) instead',
    );
  }
}
