/**
 * Types of the BPDS ledger: transactions, parties, grants, access decisions, events.
 *
 * BPDS (J. Liu, X. Li, L. Ye, H. Zhang, X. Du, M. Guizani, "BPDS: A Blockchain Based
 * Privacy-Preserving Data Sharing for Electronic Medical Records", IEEE GLOBECOM 2018,
 * arXiv:1811.03223, §III "Data sharing"): the
 * patient's permissions live in a smart contract on a consortium chain; requesters
 * ask the contract, which decides and leaves an audit trail. All values here are
 * plain JSON data (binary values as base64url without padding), so any ledger can
 * store them.
 */
import type { IndexRecord } from '../index-record/record.js';

/**
 * HL7 v3 PurposeOfUse codes (code system 2.16.840.1.113883.5.8) accepted in access requests.
 * `ETREAT` (emergency treatment) takes the break-glass path.
 *
 * @example
 * ```ts
 * import { PURPOSES_OF_USE } from 'bpds/chain';
 * PURPOSES_OF_USE.includes('TREAT'); // true
 * ```
 */
export const PURPOSES_OF_USE = [
  'TREAT',
  'ETREAT',
  'CAREMGT',
  'HPAYMT',
  'HOPERAT',
  'HRESCH',
  'CLINTRCH',
  'PUBHLTH',
  'HLEGAL',
  'PATRQT',
  'FAMRQT',
] as const;

/** One HL7 PurposeOfUse code from {@link PURPOSES_OF_USE}. */
export type PurposeOfUse = (typeof PURPOSES_OF_USE)[number];

/**
 * A registered hospital's (or a genesis authority's) statement that patient `id` holds key
 * `publicKey` on this chain: Ed25519 by the attester's registered key over
 * `H("bpds/v1/ledger/patient-attestation", JCS({ v: 1, chain, id, publicKey, by }))`.
 */
export interface PatientAttestation {
  /** Party id of the attester: a registered hospital or a genesis authority. */
  readonly by: string;
  /** base64url 64-byte Ed25519 signature. */
  readonly sig: string;
}

/** Whom a grant is for: one requester by id, or every requester whose registered attributes satisfy a policy. */
export type Grantee = { readonly requester: string } | { readonly policy: string };

/** Transaction bodies by type. */
export interface TxBodies {
  /** Signed by a genesis authority. */
  registerHospital: { readonly id: string; readonly publicKey: string };
  /** Signed by a genesis authority; `emergency` allows the break-glass path. */
  registerRequester: {
    readonly id: string;
    readonly publicKey: string;
    readonly attributes: readonly string[];
    readonly emergency?: boolean;
  };
  /**
   * Self-registration: the actor is `id` and the signer is `publicKey` (proof of possession),
   * with an attestation by a registered hospital or a genesis authority that this id belongs to
   * this key (`attestPatient`), so no one can take another patient's pseudonym first.
   */
  registerPatient: { readonly id: string; readonly publicKey: string; readonly attestation: PatientAttestation };
  /** Signed by the registered hospital named in the record. */
  publishRecord: { readonly record: IndexRecord };
  /**
   * Signed by a registered hospital: anchors a batch of index records by the RFC 6962 Merkle
   * root of their record digests (`merkleRoot` of `bpds/index-record`); the records travel
   * off-chain with their inclusion proofs.
   */
  anchorRecords: { readonly root: string; readonly count: number };
  /** Signed by the patient. */
  addCustodian: { readonly patient: string; readonly custodian: string };
  /** Signed by the patient. */
  removeCustodian: { readonly patient: string; readonly custodian: string };
  /** Signed by the record's patient or one of their custodians. `fields` are JSON Pointers. */
  grantAccess: {
    readonly recordId: string;
    readonly grantee: Grantee;
    readonly fields?: readonly string[];
    readonly purposes?: readonly PurposeOfUse[];
    readonly expiresAt?: string;
  };
  /** Signed by the record's patient or one of their custodians. */
  revokeAccess: { readonly grantId: string };
  /**
   * Signed by a registered requester. `fields` absent asks for the whole record; a grant
   * limited to fields never grants a whole-record request (`PRESENTATION_REQUIRED`).
   */
  requestAccess: { readonly recordId: string; readonly purpose: PurposeOfUse; readonly fields?: readonly string[] };
}

/** Transaction type names. */
export type TxType = keyof TxBodies;

/** A transaction before signing. */
export interface UnsignedTransaction<T extends TxType = TxType> {
  readonly v: 1;
  /** Id of the ledger this transaction is for (no cross-chain replay). */
  readonly chain: string;
  readonly type: T;
  /** Party id of the actor. */
  readonly actor: string;
  /** 16 random bytes; each (actor, nonce) is accepted once. */
  readonly nonce: string;
  readonly body: TxBodies[T];
  /** The signer's Ed25519 public key. */
  readonly signer: string;
}

/** A signed transaction: Ed25519 over the transaction id. */
export interface SignedTransaction<T extends TxType = TxType> extends UnsignedTransaction<T> {
  /** 64-byte Ed25519 signature over {@link txId}. */
  readonly sig: string;
}

/** Roles of registered parties. */
export type PartyRole = 'authority' | 'hospital' | 'patient' | 'requester';

/** A registered party. */
export interface Party {
  readonly id: string;
  readonly role: PartyRole;
  readonly publicKey: string;
  /** Requester attributes (empty for other roles). */
  readonly attributes: readonly string[];
  /** Requester may use break-glass access. */
  readonly emergency: boolean;
}

/** A permission granted by a patient (or custodian). */
export interface Grant {
  /** The granting transaction's id. */
  readonly grantId: string;
  readonly recordId: string;
  readonly patient: string;
  /** Who signed the grant (the patient or a custodian). */
  readonly grantedBy: string;
  /** For a policy grantee, the policy's canonical text. */
  readonly grantee: Grantee;
  /** Allowed fields (JSON Pointers); absent means the whole record. */
  readonly fields?: readonly string[];
  /** Allowed purposes; absent means any purpose (ETREAT included). */
  readonly purposes?: readonly PurposeOfUse[];
  readonly expiresAt?: string;
  readonly grantedAt: string;
  /** Set once revoked. */
  readonly revokedAt?: string;
}

/** Why a request was granted or denied. */
export type DecisionReason =
  | 'GRANTED'
  | 'BREAK_GLASS'
  | 'NO_MATCHING_GRANT'
  | 'EMERGENCY_NOT_AUTHORIZED'
  /** A live grant matches the requester and purpose but is limited to fields, and the request asked for the whole record. */
  | 'PRESENTATION_REQUIRED';

/** The contract's decision on an access request. */
export interface AccessDecision {
  readonly granted: boolean;
  readonly reason: DecisionReason;
  /** The request transaction's id. */
  readonly requestId: string;
  readonly recordId: string;
  readonly requester: string;
  readonly purpose: PurposeOfUse;
  /** The grant used (absent for break-glass and denials). */
  readonly grantId?: string;
  /** Fields the requester may read; absent means the whole record. */
  readonly fields?: readonly string[];
  /** When the access ends (grant expiry, or the break-glass window). */
  readonly expiresAt?: string;
  readonly decidedAt: string;
}

/** Event kinds. */
export type LedgerEventType =
  | 'PartyRegistered'
  | 'RecordPublished'
  | 'CustodianAdded'
  | 'CustodianRemoved'
  | 'AccessGranted'
  | 'AccessRevoked'
  | 'AccessDecided'
  | 'BreakGlass';

/** An event emitted by the contract; the per-patient audit log is the list of events naming the patient. */
export interface LedgerEvent {
  readonly type: LedgerEventType;
  /** Transaction that caused it. */
  readonly txId: string;
  /** Global 0-based position of that transaction in the ledger. */
  readonly seq: number;
  readonly time: string;
  readonly actor: string;
  /** Patient concerned, if any (audit log key). */
  readonly patient?: string;
  readonly recordId?: string;
  readonly grantId?: string;
  /**
   * Party registered, or custodian added/removed; on an `AccessRevoked` caused by
   * `removeCustodian`, the removed custodian who had made the grant.
   */
  readonly party?: string;
  readonly decision?: AccessDecision;
}

/** A batch of index records anchored by its Merkle root. */
export interface Anchor {
  /** base64url Merkle root of the batch's record digests. */
  readonly root: string;
  /** Number of records in the batch. */
  readonly count: number;
  /** The anchoring hospital. */
  readonly hospital: string;
  /** The anchoring transaction's id. */
  readonly txId: string;
  readonly anchoredAt: string;
}

/** What {@link Ledger.submit} returns once the transaction is applied. */
export interface TxReceipt {
  readonly txId: string;
  /** Global 0-based position of the transaction. */
  readonly seq: number;
  /** Height of the block that holds it. */
  readonly height: number;
  readonly events: readonly LedgerEvent[];
  /** For `requestAccess`. */
  readonly decision?: AccessDecision;
}

/**
 * The ledger adapter: what any consortium ledger (Hyperledger Fabric chaincode, an EVM
 * contract on Besu or Quorum, or the in-process {@link MemoryLedger}) implements.
 * Every method is async because real ledgers are. See `docs/ledger.md` for the
 * mapping of each method onto Fabric and onto an EVM contract.
 */
export interface Ledger {
  /** Id of this ledger; transactions name it in `chain`. */
  readonly chainId: string;
  /**
   * Submit a signed transaction; resolves once it is ordered and applied.
   * Rejects with `LedgerError` (reason names the rule) for malformed, forged, replayed
   * or unauthorized transactions and unknown records, parties or grants.
   */
  submit(tx: SignedTransaction): Promise<TxReceipt>;
  /** An index record by its `recordId`. */
  getRecord(recordId: string): Promise<IndexRecord | undefined>;
  /** A patient's index records, oldest first (their hash chain). */
  listRecords(patient: string): Promise<readonly IndexRecord[]>;
  /** Grants on a record, revoked ones included (with `revokedAt`). */
  getPermissions(recordId: string): Promise<readonly Grant[]>;
  /** A batch anchor by its Merkle root (base64url). */
  getAnchor(root: string): Promise<Anchor | undefined>;
  /** A registered party. */
  getParty(id: string): Promise<Party | undefined>;
  /** A patient's custodians. */
  getCustodians(patient: string): Promise<readonly string[]>;
  /** Every event concerning a patient, oldest first: publications, grants, revocations, decisions, break-glass. */
  getAuditLog(patient: string): Promise<readonly LedgerEvent[]>;
  /** Call `listener` for every event from now on; returns the unsubscribe function. */
  subscribe(listener: (event: LedgerEvent) => void): () => void;
}

/** An authority named in the genesis configuration (e.g. a health ministry or consortium operator). */
export interface GenesisAuthority {
  readonly id: string;
  /** base64url Ed25519 public key. */
  readonly publicKey: string;
}

/** The genesis configuration of a ledger, committed in block 0. */
export interface GenesisConfig {
  readonly chainId: string;
  readonly authorities: readonly GenesisAuthority[];
  /** Length of a break-glass access window in seconds (default 3600). */
  readonly breakGlassSeconds?: number;
}
