/**
 * The BPDS permission contract, independent of any ledger: every adapter runs
 * these rules, in transaction order, after checking transaction signatures.
 *
 * BPDS (J. Liu, X. Li, L. Ye, H. Zhang, X. Du, M. Guizani, "BPDS: A Blockchain Based
 * Privacy-Preserving Data Sharing for Electronic Medical Records", IEEE GLOBECOM 2018,
 * arXiv:1811.03223): hospitals publish
 * index records; the patient alone controls who may access them (here also through
 * custodians they name, e.g. a parent of a minor); requesters ask with a purpose of
 * use and the contract decides and records the decision. Emergency access
 * ("break-glass", HL7 PurposeOfUse ETREAT) is time-limited, always logged and shown
 * in the patient's audit log.
 */
import { LedgerError, type LedgerReason } from '../errors.js';
import { formatTimestamp, timestamp } from '../index-record/internal/fields.js';
import { keyFingerprint } from '../index-record/keys.js';
import { type IndexRecord, recordDigest } from '../index-record/record.js';
import { fromBase64url, toBase64url } from '../internal/bytes.js';
import { ed25519Verify } from '../internal/ed25519.js';
import { refuseLiveJson } from '../internal/json-form.js';
import { formatPolicy, type Policy, parsePolicy, satisfies } from '../policy/index.js';
import { attestationDigest } from './attestation.js';
import { checkGenesis } from './genesis.js';
import { checkKey } from './internal/check-key.js';
import { CustodianGrants, MAX_CUSTODIAN_GRANTS } from './internal/custodian-grants.js';
import { decide, type StoredGrant } from './internal/decide.js';
import { type CheckedTransaction, checkTransaction, deepFreeze } from './transaction.js';
import type {
  AccessDecision,
  Anchor,
  GenesisConfig,
  Grant,
  LedgerEvent,
  Party,
  SignedTransaction,
  TxBodies,
  TxType,
} from './types.js';
import { verifyTransaction } from './verify.js';

/**
 * Default break-glass window in seconds: one hour (set another in the genesis `breakGlassSeconds`).
 *
 * @example
 * ```ts
 * import { DEFAULT_BREAK_GLASS_SECONDS } from 'bpds/chain';
 * console.log(DEFAULT_BREAK_GLASS_SECONDS); // 3600
 * ```
 */
export const DEFAULT_BREAK_GLASS_SECONDS = 3600;

/** Result of applying one transaction. */
export interface ApplyResult {
  readonly events: readonly LedgerEvent[];
  readonly decision?: AccessDecision;
}

interface StoredRecord {
  readonly record: IndexRecord;
  readonly digest: string;
}

const fail = (reason: LedgerReason, message: string): never => {
  throw new LedgerError(reason, message);
};

/**
 * The contract state machine, for ledger adapters: feed it every transaction in ledger
 * order with `execute` (validates, verifies signatures, applies the rules). A failing
 * transaction throws a `LedgerError` and leaves the state unchanged.
 *
 * @example
 * ```ts
 * import { PermissionContract, type SignedTransaction } from 'bpds/chain';
 * declare const genesis: import('bpds/chain').GenesisConfig;
 * declare const orderedTxs: SignedTransaction[];
 * const contract = new PermissionContract(genesis);
 * for (const tx of orderedTxs) {
 *   const { events, decision } = await contract.execute(tx, Date.now());
 * }
 * ```
 */
export class PermissionContract {
  readonly chainId: string;
  readonly breakGlassSeconds: number;
  #seq = 0;
  readonly #parties = new Map<string, Party>();
  readonly #records = new Map<string, StoredRecord>();
  readonly #byPatient = new Map<string, IndexRecord[]>();
  readonly #head = new Map<string, string>();
  readonly #custodians = new Map<string, Set<string>>();
  readonly #grants = new Map<string, StoredGrant>();
  readonly #grantsByRecord = new Map<string, string[]>();
  readonly #custodianGrants = new CustodianGrants();
  readonly #nonces = new Map<string, Set<string>>();
  readonly #audit = new Map<string, LedgerEvent[]>();
  readonly #anchors = new Map<string, Anchor>();

  /** @throws InvalidArgumentError for a malformed genesis configuration (field named) */
  constructor(genesis: GenesisConfig) {
    genesis = checkGenesis(genesis);
    this.chainId = genesis.chainId;
    this.breakGlassSeconds = genesis.breakGlassSeconds ?? DEFAULT_BREAK_GLASS_SECONDS;
    for (const a of genesis.authorities) {
      this.#parties.set(
        a.id,
        deepFreeze({ id: a.id, role: 'authority', publicKey: a.publicKey, attributes: [], emergency: false }),
      );
    }
  }

  /** Number of transactions applied so far. */
  get seq(): number {
    return this.#seq;
  }

  /**
   * Validate a signed transaction, verify its signature(s) and apply it at ledger time `timeMs`.
   * Call it for one transaction at a time, in ledger order.
   *
   * @throws LedgerError with a reason sub-code (`MALFORMED_TRANSACTION`, `BAD_SIGNATURE` and the
   *   rule reasons of `docs/ledger.md`); the state is then unchanged
   */
  async execute(tx: SignedTransaction, timeMs: number): Promise<ApplyResult> {
    let c: CheckedTransaction;
    try {
      c = checkTransaction(tx);
    } catch (cause) {
      throw new LedgerError('MALFORMED_TRANSACTION', (cause as Error).message, { cause });
    }
    const s = await verifyTransaction(c);
    if (!s.tx) throw new LedgerError('BAD_SIGNATURE', 'the transaction signature does not verify');
    return this.apply(c, timeMs, s.record);
  }

  /**
   * Low-level: apply a transaction already checked by the ledger, whose Ed25519 signature by
   * `tx.signer` has been verified (and, for `publishRecord`, the record's signature by the
   * same key: `recordSignatureValid`). Ledgers that verify signatures themselves (in parallel)
   * use it; others use {@link PermissionContract.execute}.
   *
   * @internal
   * @throws LedgerError with a reason sub-code; the state is then unchanged
   */
  apply(c: CheckedTransaction, timeMs: number, recordSignatureValid = false): ApplyResult {
    const tx = c.tx;
    if (tx.chain !== this.chainId) fail('WRONG_CHAIN', `transaction is for chain "${tx.chain}"`);
    if (this.#nonces.get(tx.actor)?.has(tx.nonce)) fail('REPLAYED_NONCE', 'nonce already used by this actor');
    const time = formatTimestamp(timeMs);
    const ctx: Ctx = { tx, txId: c.idText, seq: this.#seq, time, timeMs, events: [] };
    let decision: AccessDecision | undefined;
    switch (tx.type) {
      case 'registerPatient':
        this.#registerPatient(ctx, tx.body as TxBodies['registerPatient']);
        break;
      case 'registerHospital':
      case 'registerRequester':
        this.#registerByAuthority(ctx, tx.type, tx.body as TxBodies['registerRequester']);
        break;
      case 'publishRecord':
        this.#publish(ctx, (tx.body as TxBodies['publishRecord']).record, recordSignatureValid, c.recordDigest);
        break;
      case 'anchorRecords':
        this.#anchor(ctx, tx.body as TxBodies['anchorRecords']);
        break;
      case 'addCustodian':
      case 'removeCustodian':
        this.#custodian(ctx, tx.type, tx.body as TxBodies['addCustodian']);
        break;
      case 'grantAccess':
        this.#grant(ctx, tx.body as TxBodies['grantAccess']);
        break;
      case 'revokeAccess':
        this.#revoke(ctx, tx.body as TxBodies['revokeAccess']);
        break;
      case 'requestAccess':
        decision = this.#request(ctx, tx.body as TxBodies['requestAccess']);
        break;
    }
    // Every check passed and the handler committed its state: record the nonce and events.
    let ns = this.#nonces.get(tx.actor);
    if (ns === undefined) {
      ns = new Set();
      this.#nonces.set(tx.actor, ns);
    }
    ns.add(tx.nonce);
    this.#seq++;
    for (const e of ctx.events) {
      if (e.patient !== undefined) {
        let log = this.#audit.get(e.patient);
        if (log === undefined) {
          log = [];
          this.#audit.set(e.patient, log);
        }
        log.push(e);
      }
    }
    return decision === undefined ? { events: ctx.events } : { events: ctx.events, decision };
  }

  readonly #fingerprints = new Map<string, string>();
  /** base64url key fingerprint of a registered key (cached: hospitals publish many records). */
  #fingerprint(publicKey: string): string {
    let fp = this.#fingerprints.get(publicKey);
    if (fp === undefined) {
      fp = toBase64url(keyFingerprint(publicKey));
      this.#fingerprints.set(publicKey, fp);
    }
    return fp;
  }

  #signer(ctx: Ctx): Party {
    const p = this.#parties.get(ctx.tx.actor);
    if (p === undefined) return fail('UNKNOWN_ACTOR', `actor "${ctx.tx.actor}" is not registered`);
    if (p.publicKey !== ctx.tx.signer) fail('UNAUTHORIZED_SIGNER', "the signer is not the actor's registered key");
    return p;
  }

  #registerPatient(ctx: Ctx, b: TxBodies['registerPatient']): void {
    if (ctx.tx.actor !== b.id || ctx.tx.signer !== b.publicKey) {
      fail('UNAUTHORIZED_SIGNER', 'a patient registers themself: actor and signer must be the registered id and key');
    }
    if (this.#parties.has(b.id)) fail('ALREADY_REGISTERED', `party "${b.id}" is already registered`);
    checkKey(b.publicKey);
    // The pseudonym is bound to the key by a registered hospital or a genesis authority.
    const attester = this.#parties.get(b.attestation.by);
    if (attester?.role !== 'hospital' && attester?.role !== 'authority') {
      fail('INVALID_ATTESTATION', 'the attester is not a registered hospital or authority');
    }
    const digest = attestationDigest(this.chainId, b.id, b.publicKey, b.attestation.by);
    if (!ed25519Verify(fromBase64url(b.attestation.sig), digest, fromBase64url((attester as Party).publicKey))) {
      fail('INVALID_ATTESTATION', "the attestation does not verify under the attester's registered key");
    }
    this.#parties.set(
      b.id,
      deepFreeze({ id: b.id, role: 'patient', publicKey: b.publicKey, attributes: [], emergency: false }),
    );
    emit(ctx, { type: 'PartyRegistered', party: b.id, patient: b.id });
  }

  #registerByAuthority(
    ctx: Ctx,
    type: 'registerHospital' | 'registerRequester',
    b: TxBodies['registerRequester'],
  ): void {
    const signer = this.#signer(ctx);
    if (signer.role !== 'authority')
      fail('UNAUTHORIZED_SIGNER', 'only a genesis authority registers hospitals and requesters');
    if (this.#parties.has(b.id)) fail('ALREADY_REGISTERED', `party "${b.id}" is already registered`);
    checkKey(b.publicKey);
    const attributes = type === 'registerRequester' ? [...b.attributes] : [];
    if (attributes.length > 0) {
      try {
        satisfies(parsePolicy('bpds-probe'), attributes);
      } catch (cause) {
        throw new LedgerError('INVALID_ATTRIBUTES', 'a requester attribute is not a valid policy attribute', { cause });
      }
    }
    const party: Party = {
      id: b.id,
      role: type === 'registerHospital' ? 'hospital' : 'requester',
      publicKey: b.publicKey,
      attributes,
      emergency: type === 'registerRequester' && b.emergency === true,
    };
    this.#parties.set(b.id, deepFreeze(party));
    emit(ctx, { type: 'PartyRegistered', party: b.id });
  }

  #publish(ctx: Ctx, record: IndexRecord, recordSignatureValid: boolean, knownDigest?: Uint8Array): void {
    const signer = this.#signer(ctx);
    if (signer.role !== 'hospital' || record.hospital.id !== ctx.tx.actor) {
      fail('UNAUTHORIZED_SIGNER', 'only the registered hospital named in the record publishes it');
    }
    const fp = this.#fingerprint(signer.publicKey);
    if (fp !== record.hospital.keyFingerprint || !recordSignatureValid) {
      fail('INVALID_RECORD', "the record's hospital signature does not verify");
    }
    const patient = this.#parties.get(record.patient);
    if (patient?.role !== 'patient') fail('UNKNOWN_PATIENT', 'the record names an unregistered patient');
    if (this.#records.has(record.recordId)) fail('DUPLICATE_RECORD', 'a record with this recordId exists');
    if (record.previous !== this.#head.get(record.patient)) {
      fail('BROKEN_RECORD_CHAIN', "the record's previous digest is not the patient's latest record");
    }
    const digest = toBase64url(knownDigest ?? recordDigest(record));
    this.#records.set(record.recordId, { record, digest });
    let list = this.#byPatient.get(record.patient);
    if (list === undefined) {
      list = [];
      this.#byPatient.set(record.patient, list);
    }
    list.push(record);
    this.#head.set(record.patient, digest);
    emit(ctx, { type: 'RecordPublished', patient: record.patient, recordId: record.recordId });
  }

  #anchor(ctx: Ctx, b: TxBodies['anchorRecords']): void {
    const signer = this.#signer(ctx);
    if (signer.role !== 'hospital') fail('UNAUTHORIZED_SIGNER', 'only a registered hospital anchors records');
    if (this.#anchors.has(b.root)) fail('DUPLICATE_ANCHOR', 'this Merkle root is already anchored');
    this.#anchors.set(
      b.root,
      deepFreeze({ root: b.root, count: b.count, hospital: signer.id, txId: ctx.txId, anchoredAt: ctx.time }),
    );
    // No event: an anchor concerns no patient until a record of the batch is shown; read it with getAnchor.
  }

  #custodian(ctx: Ctx, type: 'addCustodian' | 'removeCustodian', b: TxBodies['addCustodian']): void {
    const signer = this.#signer(ctx);
    if (signer.role !== 'patient' || ctx.tx.actor !== b.patient) {
      fail('UNAUTHORIZED_SIGNER', 'only the patient names or removes their custodians');
    }
    const set = this.#custodians.get(b.patient);
    if (type === 'addCustodian') {
      const c = this.#parties.get(b.custodian);
      if (c === undefined || c.role === 'authority' || c.role === 'hospital') {
        fail('UNKNOWN_PARTY', 'a custodian must be a registered patient or requester');
      }
      if (b.custodian === b.patient) fail('INVALID_CUSTODIAN', 'a patient cannot be their own custodian');
      if (set?.has(b.custodian)) fail('ALREADY_CUSTODIAN', 'already a custodian of this patient');
      if (set === undefined) this.#custodians.set(b.patient, new Set([b.custodian]));
      else set.add(b.custodian);
      emit(ctx, { type: 'CustodianAdded', patient: b.patient, party: b.custodian });
    } else {
      if (!set?.has(b.custodian)) fail('NOT_CUSTODIAN', 'not a custodian of this patient');
      set?.delete(b.custodian);
      emit(ctx, { type: 'CustodianRemoved', patient: b.patient, party: b.custodian });
      // Its authority ends with it: every live grant it made on this patient's records is
      // revoked (at most MAX_CUSTODIAN_GRANTS: bounded work on every ledger).
      for (const grantId of this.#custodianGrants.take(b.patient, b.custodian)) {
        const g = this.#grants.get(grantId) as StoredGrant;
        g.grant = deepFreeze({ ...g.grant, revokedAt: ctx.time });
        const { recordId } = g.grant;
        emit(ctx, { type: 'AccessRevoked', patient: b.patient, recordId, grantId, party: b.custodian });
      }
    }
  }

  #controls(actor: string, patient: string): boolean {
    return actor === patient || this.#custodians.get(patient)?.has(actor) === true;
  }

  #grant(ctx: Ctx, b: TxBodies['grantAccess']): void {
    this.#signer(ctx);
    const stored = this.#records.get(b.recordId) ?? fail('UNKNOWN_RECORD', 'no record with this recordId');
    const patient = stored.record.patient;
    if (!this.#controls(ctx.tx.actor, patient)) {
      fail('UNAUTHORIZED_SIGNER', "only the patient or their custodian manages the record's permissions");
    }
    let policy: Policy | undefined;
    let grantee = b.grantee;
    if ('policy' in grantee) {
      try {
        policy = parsePolicy(grantee.policy);
      } catch (cause) {
        throw new LedgerError('INVALID_POLICY', 'the grantee policy does not parse', { cause });
      }
      grantee = { policy: formatPolicy(policy) };
    } else if (this.#parties.get(grantee.requester)?.role !== 'requester') {
      fail('UNKNOWN_PARTY', 'the grantee is not a registered requester');
    }
    let expiresMs: number | undefined;
    if (b.expiresAt !== undefined) {
      expiresMs = timestamp(b.expiresAt, 'transaction', 'body.expiresAt');
      if (expiresMs <= ctx.timeMs) fail('EXPIRED', 'the grant expires in the past');
    }
    if (ctx.tx.actor !== patient && !this.#custodianGrants.hasRoom(patient, ctx.tx.actor)) {
      fail('TOO_MANY_GRANTS', `a custodian holds at most ${MAX_CUSTODIAN_GRANTS} live grants on one patient's records`);
    }
    const grant: Record<string, unknown> = {
      grantId: ctx.txId,
      recordId: b.recordId,
      patient,
      grantedBy: ctx.tx.actor,
      grantee,
      grantedAt: ctx.time,
    };
    if (b.fields !== undefined) grant.fields = [...b.fields];
    if (b.purposes !== undefined) grant.purposes = [...b.purposes];
    if (b.expiresAt !== undefined) grant.expiresAt = b.expiresAt;
    this.#grants.set(ctx.txId, { grant: deepFreeze(grant as unknown as Grant), policy, expiresMs });
    const list = this.#grantsByRecord.get(b.recordId);
    if (list === undefined) this.#grantsByRecord.set(b.recordId, [ctx.txId]);
    else list.push(ctx.txId);
    if (ctx.tx.actor !== patient) this.#custodianGrants.add(patient, ctx.tx.actor, ctx.txId);
    emit(ctx, { type: 'AccessGranted', patient, recordId: b.recordId, grantId: ctx.txId });
  }

  #revoke(ctx: Ctx, b: TxBodies['revokeAccess']): void {
    this.#signer(ctx);
    const g = this.#grants.get(b.grantId) ?? fail('UNKNOWN_GRANT', 'no grant with this grantId');
    if (!this.#controls(ctx.tx.actor, g.grant.patient)) {
      fail('UNAUTHORIZED_SIGNER', "only the patient or their custodian manages the record's permissions");
    }
    if (g.grant.revokedAt !== undefined) fail('ALREADY_REVOKED', 'the grant is already revoked');
    g.grant = deepFreeze({ ...g.grant, revokedAt: ctx.time });
    this.#custodianGrants.drop(g.grant.patient, g.grant.grantedBy, b.grantId);
    emit(ctx, { type: 'AccessRevoked', patient: g.grant.patient, recordId: g.grant.recordId, grantId: b.grantId });
  }

  #request(ctx: Ctx, b: TxBodies['requestAccess']): AccessDecision {
    const requester = this.#signer(ctx);
    if (requester.role !== 'requester') fail('UNAUTHORIZED_SIGNER', 'only a registered requester asks for access');
    const stored = this.#records.get(b.recordId) ?? fail('UNKNOWN_RECORD', 'no record with this recordId');
    const patient = stored.record.patient;
    const grants = (this.#grantsByRecord.get(b.recordId) ?? []).map((g) => this.#grants.get(g) as StoredGrant);
    const decision = decide(grants, requester, b, {
      requestId: ctx.txId,
      time: ctx.time,
      timeMs: ctx.timeMs,
      breakGlassSeconds: this.breakGlassSeconds,
    });
    emit(ctx, { type: 'AccessDecided', patient, recordId: b.recordId, decision });
    if (decision.reason === 'BREAK_GLASS') emit(ctx, { type: 'BreakGlass', patient, recordId: b.recordId, decision });
    return decision;
  }

  // --- reads ---

  /** A record by id. */
  getRecord(recordId: string): IndexRecord | undefined {
    return this.#records.get(recordId)?.record;
  }
  /** A patient's records, oldest first. */
  listRecords(patient: string): readonly IndexRecord[] {
    return [...(this.#byPatient.get(patient) ?? [])];
  }
  /** base64url digest of the patient's latest record (the next record's `previous`). */
  headOf(patient: string): string | undefined {
    return this.#head.get(patient);
  }
  /** Grants on a record, in grant order. */
  getPermissions(recordId: string): readonly Grant[] {
    return (this.#grantsByRecord.get(recordId) ?? []).map((g) => (this.#grants.get(g) as StoredGrant).grant);
  }
  /** A batch anchor by Merkle root. */
  getAnchor(root: string): Anchor | undefined {
    return this.#anchors.get(root);
  }
  /** A party by id. */
  getParty(id: string): Party | undefined {
    return this.#parties.get(id);
  }
  /** A patient's custodians. */
  getCustodians(patient: string): readonly string[] {
    return [...(this.#custodians.get(patient) ?? [])];
  }
  /** Events concerning a patient. */
  getAuditLog(patient: string): readonly LedgerEvent[] {
    return [...(this.#audit.get(patient) ?? [])];
  }

  /** No JSON form (a live object): `JSON.stringify` throws. @throws InvalidArgumentError always */
  toJSON(): never {
    return refuseLiveJson('a PermissionContract', "replay the ledger's transactions to rebuild it");
  }
}

interface Ctx {
  readonly tx: SignedTransaction;
  readonly txId: string;
  readonly seq: number;
  readonly time: string;
  readonly timeMs: number;
  readonly events: LedgerEvent[];
}

function emit(ctx: Ctx, e: Omit<LedgerEvent, 'txId' | 'seq' | 'time' | 'actor'>): void {
  ctx.events.push(deepFreeze({ ...e, txId: ctx.txId, seq: ctx.seq, time: ctx.time, actor: ctx.tx.actor }));
}

/** Transaction types the contract knows (for adapters). */
export type { TxType };
