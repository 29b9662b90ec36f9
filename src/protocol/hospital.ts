/**
 * The hospital of BPDS (Liu et al. 2018, the EMR storage phase): signs an EMR
 * with a content extraction signature (Steinfeld–Bull–Zheng 2001, `Sign`),
 * encrypts the signed record with CP-ABE under its access policy, stores the
 * ciphertext in the cloud (a {@link BlobStore}) and publishes a signed index record
 * on the consortium ledger.
 *
 * @module protocol/hospital
 */
import { type ExtractionRules, type JsonValue, type SignedRecord, sign } from '../ces/index.js';
import { attestPatient, type Ledger, type PatientAttestation } from '../chain/index.js';
import type { PublicKey } from '../cpabe/index.js';
import { InvalidArgumentError } from '../errors.js';
import {
  cesHeaderDigest,
  createRecord,
  generateSigningKey,
  getPublicKey,
  type IndexRecord,
  recordDigest,
  signRecord,
  TAGS,
} from '../index-record/index.js';
import { publicKeyBytes } from '../index-record/keys.js';
import { assertBytes, assertObject, assertString } from '../internal/assert.js';
import { assertReadableStream } from '../internal/byte-queue.js';
import { toBase64url } from '../internal/bytes.js';
import { refuseLiveJson } from '../internal/json-form.js';
import { randomBytes } from '../internal/random.js';
import { taggedHasher } from '../internal/tagged-hash.js';
import { formatPolicy, parsePolicy, policyDigest } from '../policy/index.js';
import type { ParticipantIdentity } from './authority.js';
import type { BlobStore } from './blob-store.js';
import { putBlobStream } from './blob-stream.js';
import { ProtocolError } from './errors.js';
import { assertParticipantId, identityAttribute } from './identity.js';
import { cesSigningKey, cesVerifyKey } from './internal/keys.js';
import { submit } from './internal/ledger.js';
import { sealRecord } from './internal/sealed.js';
import { sealRecordStream } from './internal/sealed-stream.js';

/** Options of the {@link Hospital} constructor. */
export interface HospitalOptions {
  /** The hospital's registered ledger id. */
  readonly id: string;
  readonly ledger: Ledger;
  readonly store: BlobStore;
  /** The authority's CP-ABE public key. */
  readonly publicKey: PublicKey;
  /** The hospital's 32-byte Ed25519 identity secret key (default: fresh); it signs transactions, index records and records. */
  readonly secretKey?: Uint8Array;
}

/** What the hospital publishes. */
export interface PublishInput {
  /** The patient's pseudonym (their ledger id). */
  readonly patient: string;
  /** The EMR: a FHIR resource or Bundle (any JSON value). */
  readonly record: JsonValue;
  /**
   * Who may decrypt, in the bpds/policy language, e.g. `dept:cardiology and (role:doctor or role:nurse)`.
   * The patient is always added (`(<policy>) or id:<patient>`) so that they can read and share their record.
   */
  readonly policy: string;
  /** Extraction rules signed with the record (what a patient may and may not disclose). */
  readonly rules?: ExtractionRules;
  /** CES scheme: `'commit-vector'` (default) or `'hash-tree'`. */
  readonly scheme?: 'commit-vector' | 'hash-tree';
  /** Optional keyword tags for the index record (visible on the ledger: avoid sensitive words). */
  readonly keywords?: readonly string[];
}

/** What {@link Hospital.publishStream} publishes: a signed JSON description and a large attachment stream. */
export interface PublishStreamInput extends PublishInput {
  /** The attachment bytes (imaging study, scanned chart, genomic file), read once, in bounded memory. */
  readonly content: ReadableStream<Uint8Array>;
}

/** What a publication needs before anything is encrypted. */
interface Prepared {
  readonly policy: string;
  readonly recordId: string;
  readonly recordIdBytes: Uint8Array;
  readonly context: { readonly recordId: string; readonly hospitalId: string; readonly patientId: string };
  readonly signatures: { readonly full: SignedRecord; readonly shareable: SignedRecord };
}

/** A published record. */
export interface PublishedRecord {
  /** The index record's id. */
  readonly recordId: string;
  /** The signed index record as published on the ledger. */
  readonly indexRecord: IndexRecord;
  /** Where the ciphertext is stored. */
  readonly locator: string;
  /** The effective CP-ABE policy (canonical text, the patient included). */
  readonly policy: string;
  /** The publishing transaction's id. */
  readonly txId: string;
}

/**
 * A hospital: publishes signed, encrypted EMRs and their index records.
 *
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { MemoryLedger } from 'bpds/chain';
 * import { Authority, Hospital, MemoryBlobStore } from 'bpds/protocol';
 * await init();
 * const authority = Authority.create();
 * const ledger = new MemoryLedger({ chainId: 'demo', authorities: [authority.genesis] });
 * const hospital = new Hospital({ id: 'st-mary', ledger, store: new MemoryBlobStore(), publicKey: authority.publicKey });
 * await authority.registerHospital(ledger, hospital.identity);
 * ```
 */
export class Hospital {
  /** The hospital's ledger id. */
  readonly id: string;
  readonly #ledger: Ledger;
  readonly #store: BlobStore;
  readonly #publicKey: PublicKey;
  readonly #secretKey: Uint8Array;
  readonly #queues = new Map<string, Promise<void>>();

  /** @throws {InvalidArgumentError} for a bad id or key. */
  constructor(options: HospitalOptions) {
    assertObject(options, 'options');
    assertParticipantId(options.id, 'options.id');
    if (options.secretKey !== undefined) assertBytes(options.secretKey, 'options.secretKey', 32);
    this.id = options.id;
    this.#ledger = options.ledger;
    this.#store = options.store;
    this.#publicKey = options.publicKey;
    this.#secretKey = options.secretKey?.slice() ?? generateSigningKey().secretKey;
  }

  /** Run `task` after every earlier task for the same patient. */
  async #serialized<T>(patient: string, task: () => Promise<T>): Promise<T> {
    const before = this.#queues.get(patient) ?? Promise.resolve();
    const run = before.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(patient, settled);
    try {
      return await run;
    } finally {
      if (this.#queues.get(patient) === settled) this.#queues.delete(patient);
    }
  }

  /** The hospital's public identity: id and Ed25519 public key (register it with the authority). */
  get identity(): { readonly id: string; readonly publicKey: string } {
    return { id: this.id, publicKey: getPublicKey(this.#secretKey) };
  }

  /**
   * Attest, after checking who the patient is, that pseudonym `patient.id` belongs to
   * `patient.publicKey` on this hospital's ledger: the patient passes it to
   * {@link Patient.register}. The ledger accepts it while this hospital is registered.
   *
   * @throws {InvalidArgumentError} for a bad id or key.
   */
  attestPatient(patient: ParticipantIdentity): PatientAttestation {
    assertObject(patient, 'patient');
    assertParticipantId(patient.id, 'patient.id');
    publicKeyBytes(patient.publicKey, 'patient.publicKey');
    return attestPatient(this.#ledger.chainId, patient, { id: this.id, secretKey: this.#secretKey });
  }

  /**
   * Sign, encrypt, store and publish an EMR.
   *
   * @throws {InvalidArgumentError} for a bad patient id, record or keywords.
   * @throws {PolicySyntaxError} for a malformed policy.
   * @throws {ProtocolError} `step: 'blob-store'` when storing fails, `step: 'publish'` when the ledger refuses.
   */
  async publish(input: PublishInput): Promise<PublishedRecord> {
    const p = await this.#prepare(input);
    // CP-ABE Encrypt of the signed record, bound to the record, hospital and patient.
    const ciphertext = await sealRecord(this.#publicKey, p.policy, p.context, p.signatures, input.record);
    const locator = await this.#store.put(ciphertext);
    return this.#publishIndex(input, p, locator, { ciphertext });
  }

  /**
   * Sign, encrypt, store and publish a large record as a stream, in bounded memory: the
   * CES-signed JSON description (`input.record`, e.g. a FHIR DocumentReference) followed by
   * the attachment bytes of `input.content` (an imaging study, a scanned chart), in one
   * streaming CP-ABE ciphertext (`encryptStream`, docs/storage.md) written to the store with
   * `putStream` while its digest is computed for the index record. Read it with
   * `Requester.accessStream`.
   *
   * @throws {InvalidArgumentError} for a bad patient id, record, keywords or content stream.
   * @throws {PolicySyntaxError} for a malformed policy.
   * @throws {ProtocolError} `step: 'blob-store'` when storing fails, `step: 'publish'` when the ledger refuses.
   * @example
   * ```ts
   * import type { Hospital } from 'bpds/protocol';
   * declare const hospital: Hospital;
   * declare const study: ReadableStream<Uint8Array>;
   * const published = await hospital.publishStream({
   *   patient: 'p-7f3a9c',
   *   policy: 'dept:radiology and role:doctor',
   *   record: { resourceType: 'DocumentReference', status: 'current', description: 'CT chest' },
   *   content: study,
   * });
   * ```
   */
  async publishStream(input: PublishStreamInput): Promise<PublishedRecord> {
    assertObject(input, 'input');
    assertReadableStream(input.content, 'input.content');
    const p = await this.#prepare(input);
    const encrypted = await sealRecordStream(
      this.#publicKey,
      p.policy,
      p.context,
      p.signatures,
      input.record,
      input.content,
    );
    const digest = taggedHasher(TAGS.ciphertext);
    let size = 0;
    const measured = encrypted.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, c) {
          digest.update(chunk);
          size += chunk.length;
          c.enqueue(chunk);
        },
      }),
    );
    const locator = await putBlobStream(this.#store, measured);
    return this.#publishIndex(input, p, locator, { ciphertextDigest: digest.digest(), ciphertextSize: size });
  }

  /** Checks, the effective policy, a fresh record id and the two CES signatures. */
  async #prepare(input: PublishInput): Promise<Prepared> {
    assertObject(input, 'input');
    assertParticipantId(input.patient, 'input.patient');
    assertString(input.policy, 'input.policy', 64 * 1024);
    if (input.keywords !== undefined && !Array.isArray(input.keywords)) {
      throw new InvalidArgumentError('"input.keywords" expected Array');
    }
    // Parse the hospital's policy on its own first, so text like `a) or (b` is refused.
    const given = formatPolicy(parsePolicy(input.policy));
    const policy = formatPolicy(parsePolicy(`(${given}) or ${identityAttribute(input.patient)}`));
    const recordIdBytes = randomBytes(16);
    const recordId = toBase64url(recordIdBytes);

    // CES Sign over the EMR, twice: `full` (no rules, no holder) lets a reader of the whole
    // record verify every field; `shareable` carries the extraction rules and names the
    // patient's key as holder, so only the patient can present parts of it.
    const patient = await this.#ledger.getParty(input.patient);
    if (patient?.role !== 'patient') {
      throw new ProtocolError('publish', 'UNKNOWN_PATIENT', `"${input.patient}" is not a registered patient`);
    }
    const cesKey = cesSigningKey(this.#secretKey);
    const scheme = input.scheme ?? 'commit-vector';
    const full = sign(cesKey, input.record, { scheme });
    const shareable = sign(cesKey, input.record, {
      scheme,
      holderPublicKey: cesVerifyKey(patient.publicKey),
      ...(input.rules === undefined ? {} : { rules: input.rules }),
    });
    const context = { recordId, hospitalId: this.id, patientId: input.patient };
    return { policy, recordId, recordIdBytes, context, signatures: { full, shareable } };
  }

  /** Sign and publish the index record of a stored ciphertext. */
  async #publishIndex(
    input: PublishInput,
    p: Prepared,
    locator: string,
    stored: { ciphertext: Uint8Array } | { ciphertextDigest: Uint8Array; ciphertextSize: number },
  ): Promise<PublishedRecord> {
    const { policy, recordId } = p;
    const base = {
      patient: input.patient,
      hospitalId: this.id,
      hospitalPublicKey: getPublicKey(this.#secretKey),
      ...stored,
      scheme: this.#publicKey.scheme,
      locator,
      policyDigest: policyDigest(parsePolicy(policy)),
      cesHeaderDigest: cesHeaderDigest(p.signatures.shareable.headerBytes),
      recordId: p.recordIdBytes,
      ...(input.keywords === undefined ? {} : { keywords: input.keywords }),
    };
    // The index record links to the patient's latest record (per-patient hash chain):
    // publications for one patient are serialized here, and retried if another
    // hospital published in between.
    const { indexRecord, receipt } = await this.#serialized(input.patient, async () => {
      for (let attempt = 1; ; attempt++) {
        const history = await this.#ledger.listRecords(input.patient);
        const last = history[history.length - 1];
        const indexRecord = signRecord(
          createRecord({ ...base, ...(last === undefined ? {} : { previous: recordDigest(last) }) }),
          this.#secretKey,
        );
        try {
          const receipt = await submit(
            this.#ledger,
            this.id,
            this.#secretKey,
            'publishRecord',
            { record: indexRecord },
            'publish',
          );
          return { indexRecord, receipt };
        } catch (e) {
          if (!(e instanceof ProtocolError && e.reason === 'BROKEN_RECORD_CHAIN' && attempt < 8)) throw e;
        }
      }
    });
    return { recordId, indexRecord, locator, policy, txId: receipt.txId };
  }

  /**
   * No JSON form: a Hospital is a live object, so `JSON.stringify` throws
   * rather than write `{}` or a few public fields.
   *
   * @throws InvalidArgumentError always
   */
  toJSON(): never {
    return refuseLiveJson(
      'a Hospital',
      'it holds its signing key; keep the key you passed as `secretKey` (or the identity) instead',
    );
  }
}
