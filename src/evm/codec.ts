/**
 * Signed bpds transactions as calls of the EVM permission contract, and the contract's
 * structs back as the `bpds/chain` types. Binary values travel as fixed-size EVM words
 * (`bytes16` record ids and nonces, `bytes32` digests, keys and transaction ids); party ids are
 * keyed by {@link partyKey}. Internal.
 */
import type { Address, Hex } from 'viem';
import type { CheckedTransaction } from '../chain/transaction.js';
import type { Grant, Party, PartyRole, PurposeOfUse, TxBodies } from '../chain/types.js';
import { PURPOSES_OF_USE } from '../chain/types.js';
import { LedgerError, type LedgerReason } from '../errors.js';
import { formatTimestamp, timestamp } from '../index-record/internal/fields.js';
import type { IndexRecord } from '../index-record/types.js';
import { fromBase64url, fromHex, toBase64url, toHex } from '../internal/bytes.js';
import { isPrimeOrderKey } from '../internal/ed25519.js';
import { formatPolicy, type Policy, parsePolicy, policyDigest, satisfies } from '../policy/index.js';
import { partyKey, policyProgram, requesterLabels } from './policy-program.js';

/** 0x-hex of bytes. */
export const hex = (b: Uint8Array): Hex => `0x${toHex(b)}`;
/** 0x-hex of a base64url value. */
export const b64hex = (s: string): Hex => hex(fromBase64url(s));
/** base64url of a 0x-hex value. */
export const hexb64 = (h: Hex): string => toBase64url(fromHex(h.slice(2)));
const ZERO32: Hex = `0x${'00'.repeat(32)}`;

/** A contract call for one transaction, and a client-side refusal the chain does not know about. */
export interface EncodedCall {
  readonly functionName: string;
  readonly args: readonly unknown[];
  /**
   * A refusal found off chain (a bad record signature, invalid attributes): reported unless the
   * contract refuses first with one of `before` (the rules `MemoryLedger` checks earlier).
   */
  readonly refusal?: {
    readonly reason: LedgerReason;
    readonly message: string;
    readonly before: readonly LedgerReason[];
  };
}

const EARLY: readonly LedgerReason[] = ['REPLAYED_NONCE', 'UNKNOWN_ACTOR', 'UNAUTHORIZED_SIGNER'];
/** Registered keys must be Ed25519 points of prime order (the ledger's key rule, SECURITY.md). */
const BAD_KEY = 'the public key is not an Ed25519 point of prime order (small- and mixed-order keys are refused)';

/** Encode a checked, signature-verified transaction as a contract call. */
export function encodeCall(
  c: CheckedTransaction,
  recordSignatureValid: boolean,
  addressOf: (id: string) => Address | undefined,
): EncodedCall {
  const tx = c.tx;
  const t = { actor: partyKey(tx.actor), signer: b64hex(tx.signer), nonce: b64hex(tx.nonce), txId: hex(c.id) };
  switch (tx.type) {
    case 'registerPatient': {
      const b = tx.body as TxBodies['registerPatient'];
      const call = {
        functionName: 'registerPatient',
        args: [t, b.id, b64hex(b.publicKey), partyKey(b.attestation.by)],
      };
      if (isPrimeOrderKey(fromBase64url(b.publicKey))) return call;
      return {
        ...call,
        refusal: { reason: 'INVALID_KEY', message: BAD_KEY, before: [...EARLY, 'ALREADY_REGISTERED'] },
      };
    }
    case 'registerHospital':
    case 'registerRequester': {
      const b = tx.body as TxBodies['registerRequester'];
      const requester = tx.type === 'registerRequester';
      const account = addressOf(b.id);
      if (account === undefined) throw new LedgerError('NO_ACCOUNT', `no EVM address known for party "${b.id}"`);
      const attributes = requester ? [...b.attributes] : [];
      let labelHashes: Hex[] = [];
      let refusal: EncodedCall['refusal'];
      const keyOk = isPrimeOrderKey(fromBase64url(b.publicKey));
      try {
        if (attributes.length > 0) satisfies(parsePolicy('bpds-probe'), attributes);
        labelHashes = requesterLabels(attributes);
      } catch {
        refusal = {
          reason: 'INVALID_ATTRIBUTES',
          message: 'a requester attribute is not a valid policy attribute',
          before: [...EARLY, 'ALREADY_REGISTERED'],
        };
      }
      if (!keyOk) refusal = { reason: 'INVALID_KEY', message: BAD_KEY, before: [...EARLY, 'ALREADY_REGISTERED'] };
      const p = {
        requester,
        emergency: requester && b.emergency === true,
        id: b.id,
        publicKey: b64hex(b.publicKey),
        account,
        attributes,
        labelHashes,
      };
      return { functionName: 'registerParty', args: [t, p], ...(refusal ? { refusal } : {}) };
    }
    case 'publishRecord': {
      const r = (tx.body as TxBodies['publishRecord']).record;
      const rec = {
        recordId: b64hex(r.recordId),
        patient: partyKey(r.patient),
        hospital: partyKey(r.hospital.id),
        keyFingerprint: b64hex(r.hospital.keyFingerprint),
        createdAt: r.createdAt,
        ciphertextDigest: b64hex(r.ciphertext.digest),
        ciphertextSize: BigInt(r.ciphertext.size),
        hasPrevious: r.previous !== undefined,
        hasKeywords: r.keywords !== undefined,
        scheme: r.ciphertext.scheme,
        locator: r.locator,
        policyDigest: b64hex(r.policyDigest),
        cesHeaderDigest: b64hex(r.cesHeaderDigest),
        previous: r.previous === undefined ? ZERO32 : b64hex(r.previous),
        keywords: [...(r.keywords ?? [])],
        signature: b64hex(r.signature.value),
      };
      const call = { functionName: 'publishRecord', args: [t, rec, hex(c.recordDigest as Uint8Array)] };
      if (recordSignatureValid) return call;
      return {
        ...call,
        refusal: {
          reason: 'INVALID_RECORD',
          message: "the record's hospital signature does not verify",
          before: EARLY,
        },
      };
    }
    case 'anchorRecords': {
      const b = tx.body as TxBodies['anchorRecords'];
      return { functionName: 'anchorRecords', args: [t, b64hex(b.root), b.count] };
    }
    case 'addCustodian':
    case 'removeCustodian': {
      const b = tx.body as TxBodies['addCustodian'];
      return { functionName: tx.type, args: [t, partyKey(b.patient), partyKey(b.custodian)] };
    }
    case 'grantAccess':
      return { functionName: 'grantAccess', args: [t, grantInput(tx.body as TxBodies['grantAccess'])] };
    case 'revokeAccess':
      return { functionName: 'revokeAccess', args: [t, b64hex((tx.body as TxBodies['revokeAccess']).grantId)] };
    case 'requestAccess': {
      const b = tx.body as TxBodies['requestAccess'];
      const fields = [...(b.fields ?? [])];
      return {
        functionName: 'requestAccess',
        args: [t, b64hex(b.recordId), PURPOSES_OF_USE.indexOf(b.purpose), b.fields !== undefined, fields],
      };
    }
  }
}

function grantInput(b: TxBodies['grantAccess']): Record<string, unknown> {
  let kind = 1;
  let requester: Hex = ZERO32;
  let policy = '';
  let digest: Hex = ZERO32;
  let program: Hex = '0x';
  if ('policy' in b.grantee) {
    kind = 2;
    let parsed: Policy | undefined;
    try {
      parsed = parsePolicy(b.grantee.policy);
    } catch {
      parsed = undefined; // an empty program: the contract refuses with InvalidPolicy, in rule order
    }
    if (parsed !== undefined) {
      policy = formatPolicy(parsed);
      digest = hex(policyDigest(parsed));
      program = hex(policyProgram(parsed));
    }
  } else {
    requester = partyKey(b.grantee.requester);
  }
  return {
    recordId: b64hex(b.recordId),
    kind,
    requester,
    policy,
    policyDigest: digest,
    program,
    hasFields: b.fields !== undefined,
    fields: [...(b.fields ?? [])],
    hasPurposes: b.purposes !== undefined,
    purposes: hex(Uint8Array.from((b.purposes ?? []).map((p) => PURPOSES_OF_USE.indexOf(p)))),
    expiresAt: b.expiresAt ?? '',
    expiresMs: b.expiresAt === undefined ? 0n : BigInt(timestamp(b.expiresAt, 'transaction', 'body.expiresAt')),
  };
}

const ROLES: readonly (PartyRole | undefined)[] = [undefined, 'authority', 'hospital', 'patient', 'requester'];

/** The contract's Party struct. */
export interface PartyStruct {
  id: string;
  role: number;
  emergency: boolean;
  account: Address;
  publicKey: Hex;
  attributes: readonly string[];
}

export function decodeParty(p: PartyStruct): Party | undefined {
  const role = ROLES[p.role];
  if (role === undefined) return undefined;
  return { id: p.id, role, publicKey: hexb64(p.publicKey), attributes: [...p.attributes], emergency: p.emergency };
}

/** The contract's IndexRecord struct. */
export interface RecordStruct {
  recordId: Hex;
  patient: Hex;
  hospital: Hex;
  keyFingerprint: Hex;
  createdAt: string;
  ciphertextDigest: Hex;
  ciphertextSize: bigint;
  hasPrevious: boolean;
  hasKeywords: boolean;
  scheme: string;
  locator: string;
  policyDigest: Hex;
  cesHeaderDigest: Hex;
  previous: Hex;
  keywords: readonly string[];
  signature: Hex;
}

export function decodeRecord(r: RecordStruct, patient: string, hospital: string): IndexRecord {
  const rec: Record<string, unknown> = {
    version: 1,
    recordId: hexb64(r.recordId),
    patient,
    hospital: { id: hospital, keyFingerprint: hexb64(r.keyFingerprint) },
    createdAt: r.createdAt,
    ciphertext: { digest: hexb64(r.ciphertextDigest), size: Number(r.ciphertextSize), scheme: r.scheme },
    locator: r.locator,
    policyDigest: hexb64(r.policyDigest),
    cesHeaderDigest: hexb64(r.cesHeaderDigest),
  };
  if (r.hasKeywords) rec.keywords = [...r.keywords];
  if (r.hasPrevious) rec.previous = hexb64(r.previous);
  rec.signature = { alg: 'Ed25519', value: hexb64(r.signature) };
  return rec as unknown as IndexRecord;
}

/** The contract's Grant struct. */
export interface GrantStruct {
  grantId: Hex;
  recordId: Hex;
  kind: number;
  hasFields: boolean;
  hasPurposes: boolean;
  expiresMs: bigint;
  grantedAt: bigint;
  revokedAt: bigint;
  patient: Hex;
  grantedBy: Hex;
  requester: Hex;
  policyDigest: Hex;
  policy: string;
  program: Hex;
  fields: readonly string[];
  purposes: Hex;
  expiresAt: string;
}

export function decodeGrant(g: GrantStruct, idOf: (key: Hex) => string): Grant {
  const out: Record<string, unknown> = {
    grantId: hexb64(g.grantId),
    recordId: hexb64(g.recordId),
    patient: idOf(g.patient),
    grantedBy: idOf(g.grantedBy),
    grantee: g.kind === 1 ? { requester: idOf(g.requester) } : { policy: g.policy },
    grantedAt: formatTimestamp(Number(g.grantedAt) * 1000),
  };
  if (g.hasFields) out.fields = [...g.fields];
  if (g.hasPurposes) out.purposes = [...fromHex(g.purposes.slice(2))].map((i) => PURPOSES_OF_USE[i] as PurposeOfUse);
  if (g.expiresMs !== 0n) out.expiresAt = g.expiresAt;
  if (g.revokedAt !== 0n) out.revokedAt = formatTimestamp(Number(g.revokedAt) * 1000);
  return out as unknown as Grant;
}
