/**
 * The attribute authority of BPDS (Liu et al., "BPDS: A Blockchain based
 * Privacy-Preserving Data Sharing for Electronic Medical Records", 2018: the
 * CP-ABE setup and key generation of the system-initialisation phase). It runs
 * CP-ABE `Setup` once and issues attribute keys (`KeyGen`) to hospital staff,
 * patients and other requesters. Every key also carries the holder's identity
 * attribute `id:<id>`, so patients can encrypt presentations for one requester.
 *
 * @module protocol/authority
 */
import { attestPatient, type GenesisAuthority, type Ledger, type PatientAttestation } from '../chain/index.js';
import { keygen, type MasterKey, type PublicKey, type SecretKey, setup } from '../cpabe/index.js';
import { InvalidArgumentError } from '../errors.js';
import { generateSigningKey, getPublicKey } from '../index-record/index.js';
import { publicKeyBytes } from '../index-record/keys.js';
import { assertBytes, assertObject, assertString } from '../internal/assert.js';
import { refuseLiveJson } from '../internal/json-form.js';
import { assertParticipantId, IDENTITY_PREFIX, identityAttribute } from './identity.js';
import { submit } from './internal/ledger.js';

/** Options of {@link Authority.create}. */
export interface AuthorityOptions {
  /** CP-ABE scheme: `'fame'` (default), `'waters11'` or `'bsw07'`. */
  readonly scheme?: 'fame' | 'waters11' | 'bsw07';
  /** The authority's ledger id (default `'authority'`). */
  readonly id?: string;
  /** The authority's 32-byte Ed25519 ledger secret key (default: fresh). */
  readonly ledgerKey?: Uint8Array;
}

/** A participant's public ledger identity. */
export interface ParticipantIdentity {
  /** Party id on the ledger. */
  readonly id: string;
  /** Ed25519 identity public key (base64url text, as `identity` and `generateSigningKey` give it). */
  readonly publicKey: string;
}

/** Who the authority enrolls on the ledger and issues a key to. */
export interface Enrollment extends KeySubject {
  /** The requester's Ed25519 identity public key (base64url text). */
  readonly publicKey: string;
  /** May use the break-glass (ETREAT) path. */
  readonly emergency?: boolean;
}

/** Who a key is issued to. */
export interface KeySubject {
  /** The holder's participant id (letters, digits, `_ - .`, at most 64). */
  readonly id: string;
  /** The holder's attributes, e.g. `['dept:cardiology', 'role:doctor']`; never `id:…`. */
  readonly attributes?: readonly string[];
}

/**
 * The CP-ABE attribute authority: holds the master key, publishes the public key,
 * issues attribute keys.
 *
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { Authority } from 'bpds/protocol';
 * await init();
 * const authority = Authority.create();
 * const key = authority.issueKey({ id: 'dr-chen', attributes: ['dept:cardiology', 'role:doctor'] });
 * ```
 */
export class Authority {
  readonly #masterKey: MasterKey;
  readonly #ledgerKey: Uint8Array;
  /** The authority's ledger id. */
  readonly id: string;

  private constructor(masterKey: MasterKey, id: string, ledgerKey: Uint8Array) {
    this.#masterKey = masterKey;
    this.id = id;
    this.#ledgerKey = ledgerKey;
  }

  /**
   * Run CP-ABE setup and return a new authority.
   *
   * @throws {NotInitializedError} before `await init()`.
   * @throws {InvalidArgumentError} for an unknown scheme.
   */
  static create(options: AuthorityOptions = {}): Authority {
    const o = options as AuthorityOptions | null;
    const scheme = o?.scheme;
    assertObject(options, 'options');
    const { id, key } = ledgerIdentity(o?.id, o?.ledgerKey);
    const { masterKey } = setup(scheme === undefined ? {} : { scheme });
    return new Authority(masterKey, id, key);
  }

  /**
   * Restore an authority from its master key (e.g. `MasterKey.fromBytes(...)`).
   *
   * @throws {InvalidArgumentError} when `masterKey` is not a CP-ABE MasterKey.
   */
  static fromMasterKey(masterKey: MasterKey, options: Omit<AuthorityOptions, 'scheme'> = {}): Authority {
    // keygen validates the key on first use; check the type now so the error names it.
    if (typeof masterKey !== 'object' || masterKey === null || typeof masterKey.toBytes !== 'function') {
      throw new InvalidArgumentError('"masterKey" expected MasterKey');
    }
    const { id, key } = ledgerIdentity(options.id, options.ledgerKey);
    return new Authority(masterKey, id, key);
  }

  /** The authority's entry in a ledger's genesis configuration (`GenesisConfig.authorities`). */
  get genesis(): GenesisAuthority {
    return { id: this.id, publicKey: getPublicKey(this.#ledgerKey) };
  }

  /**
   * Register a hospital (its id and Ed25519 identity key) on the ledger.
   *
   * @throws {ProtocolError} `step: 'publish'` with the ledger's reason when the ledger refuses.
   */
  async registerHospital(ledger: Ledger, hospital: ParticipantIdentity): Promise<void> {
    assertObject(hospital, 'hospital');
    assertParticipantId(hospital.id, 'hospital.id');
    publicKeyBytes(hospital.publicKey, 'hospital.publicKey');
    await submit(
      ledger,
      this.id,
      this.#ledgerKey,
      'registerHospital',
      { id: hospital.id, publicKey: hospital.publicKey },
      'publish',
    );
  }

  /**
   * Attest that pseudonym `patient.id` belongs to `patient.publicKey` on `ledger` (for patients
   * the authority identifies itself); the patient passes it to {@link Patient.register}.
   *
   * @throws {InvalidArgumentError} for a bad id or key.
   */
  attestPatient(ledger: Ledger, patient: ParticipantIdentity): PatientAttestation {
    assertObject(patient, 'patient');
    assertParticipantId(patient.id, 'patient.id');
    publicKeyBytes(patient.publicKey, 'patient.publicKey');
    return attestPatient(ledger.chainId, patient, { id: this.id, secretKey: this.#ledgerKey });
  }

  /**
   * Enroll a requester: register it on the ledger with its attributes (used by
   * policy grants) and issue its CP-ABE key for the same attributes.
   *
   * @throws {InvalidArgumentError} for a bad id, attributes or key.
   * @throws {ProtocolError} `step: 'access'` with the ledger's reason when the ledger refuses.
   */
  async enroll(ledger: Ledger, subject: Enrollment): Promise<SecretKey> {
    assertObject(subject, 'subject');
    publicKeyBytes(subject.publicKey, 'subject.publicKey');
    const key = this.issueKey(subject);
    await submit(
      ledger,
      this.id,
      this.#ledgerKey,
      'registerRequester',
      {
        id: subject.id,
        publicKey: subject.publicKey,
        attributes: [...(subject.attributes ?? [])],
        ...(subject.emergency === true ? { emergency: true } : {}),
      },
      'access',
    );
    return key;
  }

  /** The CP-ABE public key that hospitals and patients encrypt with. */
  get publicKey(): PublicKey {
    return this.#masterKey.publicKey;
  }

  /** The master key (secret: persist it encrypted, offline). */
  get masterKey(): MasterKey {
    return this.#masterKey;
  }

  /**
   * Issue an attribute key to `subject`: its attributes plus its identity attribute `id:<id>`.
   *
   * @throws {InvalidArgumentError} for an invalid id, a non-array of strings, or an
   *   attribute starting with `id:` (reserved for identities).
   * @throws {PolicySyntaxError} for a malformed attribute (e.g. a bad numeric attribute).
   */
  issueKey(subject: KeySubject): SecretKey {
    assertObject(subject, 'subject');
    const idAttr = identityAttribute(subject.id);
    const attrs = subject.attributes ?? [];
    if (!Array.isArray(attrs)) throw new InvalidArgumentError('"subject.attributes" expected Array');
    attrs.forEach((a, i) => {
      assertString(a, `subject.attributes[${i}]`, 1024);
      if (a.trimStart().startsWith(IDENTITY_PREFIX)) {
        throw new InvalidArgumentError(`"subject.attributes[${i}]" uses the reserved prefix "${IDENTITY_PREFIX}"`);
      }
    });
    return keygen(this.#masterKey, [...attrs, idAttr]);
  }

  /**
   * No JSON form: an Authority is a live object, so `JSON.stringify` throws
   * rather than write `{}` or a few public fields.
   *
   * @throws InvalidArgumentError always
   */
  toJSON(): never {
    return refuseLiveJson(
      'an Authority',
      'it holds the CP-ABE master key and a ledger key; export `masterKey.toBytes()` as a secret and restore with Authority.fromMasterKey',
    );
  }
}

function ledgerIdentity(id: string | undefined, key: Uint8Array | undefined): { id: string; key: Uint8Array } {
  const pid = id ?? 'authority';
  assertParticipantId(pid, 'options.id');
  if (key !== undefined) assertBytes(key, 'options.ledgerKey', 32);
  return { id: pid, key: key?.slice() ?? generateSigningKey().secretKey };
}
