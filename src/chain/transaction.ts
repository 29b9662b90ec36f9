/**
 * Ledger transactions: JSON objects canonicalized with RFC 8785 (JCS), identified by
 * their tagged SHA-256 (tag `bpds/v1/ledger/tx`, BIP-340-style) without the `sig`
 * member, and signed by the actor with Ed25519 (RFC 8032 §5.1) over that id.
 * Each carries a random nonce and the chain id, so it is accepted at most once on
 * one ledger.
 */
import { InvalidEncodingError } from '../errors.js';
import { b64, bad, obj, text, timestamp } from '../index-record/internal/fields.js';
import { getPublicKey, signDigest } from '../index-record/keys.js';
import { recordDigest, validateRecord } from '../index-record/record.js';
import { TAGS } from '../index-record/tags.js';
import { assertBytes, assertObject, assertString, describe } from '../internal/assert.js';
import { fromUtf8, toBase64url } from '../internal/bytes.js';
import { canonicalBytes } from '../internal/jcs.js';
import { randomBytes } from '../internal/random.js';
import { parseJsonStrict } from '../internal/strict-json.js';
import { taggedHash } from '../internal/tagged-hash.js';
import {
  PURPOSES_OF_USE,
  type PurposeOfUse,
  type SignedTransaction,
  type TxBodies,
  type TxType,
  type UnsignedTransaction,
} from './types.js';

const WHAT = 'transaction';

/**
 * Limits on transactions.
 *
 * @example
 * ```ts
 * import { TX_LIMITS } from 'bpds/chain';
 * console.log(TX_LIMITS.maxFields); // 256
 * ```
 */
export const TX_LIMITS = {
  /** Longest transaction JSON text. */
  maxJsonLength: 65_536,
  /** Longest party id, chain id, attribute, field pointer and policy text. */
  maxIdLength: 256,
  maxAttributeLength: 256,
  maxFieldLength: 512,
  maxPolicyLength: 4096,
  /** Most attributes per requester and fields per grant or request. */
  maxAttributes: 128,
  maxFields: 256,
} as const;

const TX_TYPES: readonly TxType[] = [
  'registerHospital',
  'registerRequester',
  'registerPatient',
  'publishRecord',
  'anchorRecords',
  'addCustodian',
  'removeCustodian',
  'grantAccess',
  'revokeAccess',
  'requestAccess',
];

function strList(v: unknown, field: string, maxN: number, maxLen: number): string[] {
  if (!Array.isArray(v)) bad(WHAT, field, `expected array, got ${describe(v)}`);
  if (v.length > maxN) bad(WHAT, field, `has more than ${maxN} entries`);
  const seen = new Set<string>();
  return v.map((x, i) => {
    const s = text(x, WHAT, `${field}[${i}]`, maxLen);
    if (seen.has(s)) bad(WHAT, `${field}[${i}]`, 'is a duplicate');
    seen.add(s);
    return s;
  });
}

function purpose(v: unknown, field: string): PurposeOfUse {
  if (typeof v !== 'string' || !(PURPOSES_OF_USE as readonly string[]).includes(v)) {
    bad(WHAT, field, `expected an HL7 PurposeOfUse code (${PURPOSES_OF_USE.join(', ')})`);
  }
  return v as PurposeOfUse;
}

function fieldPointers(v: unknown, field: string): string[] {
  const list = strList(v, field, TX_LIMITS.maxFields, TX_LIMITS.maxFieldLength);
  list.forEach((p, i) => {
    if (p !== '' && !p.startsWith('/')) bad(WHAT, `${field}[${i}]`, 'expected a JSON Pointer (RFC 6901)');
  });
  return list;
}

const id = (v: unknown, field: string): string => text(v, WHAT, field, TX_LIMITS.maxIdLength);

function checkBody(type: TxType, v: unknown): TxBodies[TxType] {
  const F = 'body';
  switch (type) {
    case 'registerHospital': {
      const o = obj(v, WHAT, F, ['id', 'publicKey']);
      id(o.id, 'body.id');
      b64(o.publicKey, WHAT, 'body.publicKey', 32);
      return { id: o.id as string, publicKey: o.publicKey as string };
    }
    case 'registerPatient': {
      const o = obj(v, WHAT, F, ['id', 'publicKey', 'attestation']);
      id(o.id, 'body.id');
      b64(o.publicKey, WHAT, 'body.publicKey', 32);
      const a = obj(o.attestation, WHAT, 'body.attestation', ['by', 'sig']);
      id(a.by, 'body.attestation.by');
      b64(a.sig, WHAT, 'body.attestation.sig', 64);
      return {
        id: o.id as string,
        publicKey: o.publicKey as string,
        attestation: { by: a.by as string, sig: a.sig as string },
      };
    }
    case 'registerRequester': {
      const o = obj(v, WHAT, F, ['id', 'publicKey', 'attributes'], ['emergency']);
      id(o.id, 'body.id');
      b64(o.publicKey, WHAT, 'body.publicKey', 32);
      const attributes = strList(
        o.attributes,
        'body.attributes',
        TX_LIMITS.maxAttributes,
        TX_LIMITS.maxAttributeLength,
      );
      if (o.emergency !== undefined && typeof o.emergency !== 'boolean')
        bad(WHAT, 'body.emergency', 'expected boolean');
      const b: TxBodies['registerRequester'] = { id: o.id as string, publicKey: o.publicKey as string, attributes };
      return o.emergency === undefined ? b : { ...b, emergency: o.emergency as boolean };
    }
    case 'publishRecord': {
      const o = obj(v, WHAT, F, ['record']);
      return { record: validateRecord(o.record, { signed: true }) as TxBodies['publishRecord']['record'] };
    }
    case 'anchorRecords': {
      const o = obj(v, WHAT, F, ['root', 'count']);
      b64(o.root, WHAT, 'body.root', 32);
      if (typeof o.count !== 'number' || !Number.isSafeInteger(o.count) || o.count < 1 || o.count > 0xffffffff) {
        bad(WHAT, 'body.count', 'expected an integer in [1, 2^32-1]');
      }
      return { root: o.root as string, count: o.count };
    }
    case 'addCustodian':
    case 'removeCustodian': {
      const o = obj(v, WHAT, F, ['patient', 'custodian']);
      return { patient: id(o.patient, 'body.patient'), custodian: id(o.custodian, 'body.custodian') };
    }
    case 'grantAccess': {
      const o = obj(v, WHAT, F, ['recordId', 'grantee'], ['fields', 'purposes', 'expiresAt']);
      b64(o.recordId, WHAT, 'body.recordId', 16);
      const g = o.grantee as Record<string, unknown> | undefined;
      let grantee: TxBodies['grantAccess']['grantee'];
      if (typeof g === 'object' && g !== null && Object.hasOwn(g, 'policy')) {
        const go = obj(g, WHAT, 'body.grantee', ['policy']);
        grantee = { policy: text(go.policy, WHAT, 'body.grantee.policy', TX_LIMITS.maxPolicyLength) };
      } else {
        const go = obj(g, WHAT, 'body.grantee', ['requester']);
        grantee = { requester: id(go.requester, 'body.grantee.requester') };
      }
      const b: { -readonly [K in keyof TxBodies['grantAccess']]: TxBodies['grantAccess'][K] } = {
        recordId: o.recordId as string,
        grantee,
      };
      if (o.fields !== undefined) b.fields = fieldPointers(o.fields, 'body.fields');
      if (o.purposes !== undefined) {
        const ps = strList(o.purposes, 'body.purposes', PURPOSES_OF_USE.length, 16);
        b.purposes = ps.map((p, i) => purpose(p, `body.purposes[${i}]`));
      }
      if (o.expiresAt !== undefined) {
        timestamp(o.expiresAt, WHAT, 'body.expiresAt');
        b.expiresAt = o.expiresAt as string;
      }
      return b;
    }
    case 'revokeAccess': {
      const o = obj(v, WHAT, F, ['grantId']);
      b64(o.grantId, WHAT, 'body.grantId', 32);
      return { grantId: o.grantId as string };
    }
    case 'requestAccess': {
      const o = obj(v, WHAT, F, ['recordId', 'purpose'], ['fields']);
      b64(o.recordId, WHAT, 'body.recordId', 16);
      const b: { -readonly [K in keyof TxBodies['requestAccess']]: TxBodies['requestAccess'][K] } = {
        recordId: o.recordId as string,
        purpose: purpose(o.purpose, 'body.purpose'),
      };
      if (o.fields !== undefined) b.fields = fieldPointers(o.fields, 'body.fields');
      return b;
    }
  }
}

/** A validated transaction with its id and signature bytes (internal). */
export interface CheckedTransaction {
  readonly tx: SignedTransaction;
  /** 32-byte transaction id. */
  readonly id: Uint8Array;
  /** base64url of `id`. */
  readonly idText: string;
  readonly sig: Uint8Array;
  readonly signer: Uint8Array;
  /** For `publishRecord`: the record digest (computed once for verification and the contract). */
  readonly recordDigest?: Uint8Array;
}

function checkUnsigned(v: unknown, signed: boolean): Record<string, unknown> {
  const req = ['v', 'chain', 'type', 'actor', 'nonce', 'body', 'signer'];
  if (signed) req.push('sig');
  const o = obj(v, WHAT, '', req);
  if (o.v !== 1) bad(WHAT, 'v', 'expected 1');
  text(o.chain, WHAT, 'chain', TX_LIMITS.maxIdLength);
  if (typeof o.type !== 'string' || !(TX_TYPES as readonly string[]).includes(o.type)) {
    bad(WHAT, 'type', `expected one of ${TX_TYPES.join(', ')}`);
  }
  id(o.actor, 'actor');
  b64(o.nonce, WHAT, 'nonce', 16);
  b64(o.signer, WHAT, 'signer', 32);
  return {
    v: 1,
    chain: o.chain,
    type: o.type,
    actor: o.actor,
    nonce: o.nonce,
    body: checkBody(o.type as TxType, o.body),
    signer: o.signer,
  };
}

/**
 * Validate an untrusted signed transaction and compute its id. The signature is
 * decoded but not verified (the ledger verifies it). Internal.
 */
export function checkTransaction(value: unknown): CheckedTransaction {
  const u = checkUnsigned(value, true);
  const sigText = (value as Record<string, unknown>).sig; // read once
  const sig = b64(sigText, WHAT, 'sig', 64);
  const idBytes = taggedHash(TAGS.ledgerTx, canonicalBytes(u));
  const tx = { ...u, sig: sigText } as unknown as SignedTransaction;
  const c = {
    tx,
    id: idBytes,
    idText: toBase64url(idBytes),
    sig,
    signer: b64(u.signer, WHAT, 'signer', 32),
  };
  if (tx.type !== 'publishRecord') return c;
  return { ...c, recordDigest: recordDigest((tx.body as TxBodies['publishRecord']).record) };
}

/**
 * The transaction id: tagged SHA-256 of the canonical transaction without `sig`, as base64url.
 *
 * @throws InvalidEncodingError if `tx` is not a well-formed transaction (field named)
 * @example
 * ```ts
 * import { txId } from 'bpds/chain';
 * declare const tx: import('bpds/chain').SignedTransaction;
 * const id = txId(tx); // 43-character base64url
 * ```
 */
export function txId(tx: UnsignedTransaction | SignedTransaction): string {
  return toBase64url(taggedHash(TAGS.ledgerTx, canonicalBytes(checkUnsigned(stripSig(tx), false))));
}

function stripSig(tx: unknown): unknown {
  if (typeof tx !== 'object' || tx === null || !Object.hasOwn(tx, 'sig')) return tx;
  const { sig: _s, ...rest } = tx as Record<string, unknown>;
  return rest;
}

/**
 * Build and sign a transaction with the actor's Ed25519 secret key.
 *
 * @param chainId the ledger's `chainId`
 * @param actor the actor's party id
 * @param type the transaction type
 * @param body the type's body (see {@link TxBodies}); binary values are base64url strings
 * @param secretKey the actor's 32-byte Ed25519 secret key
 * @param nonce optional 16-byte nonce (default random)
 * @throws InvalidArgumentError for arguments of the wrong type
 * @throws InvalidEncodingError when the body breaks the format (field named)
 * @example
 * ```ts
 * import { createTransaction } from 'bpds/chain';
 * import { generateSigningKey } from 'bpds/index-record';
 * const authority = generateSigningKey(); // a genesis authority, id 'ministry'
 * const hospital = generateSigningKey();
 * const tx = createTransaction('bpds-demo', 'ministry', 'registerHospital',
 *   { id: 'st-mary', publicKey: hospital.publicKey }, authority.secretKey);
 * ```
 */
export function createTransaction<T extends TxType>(
  chainId: string,
  actor: string,
  type: T,
  body: TxBodies[T],
  secretKey: Uint8Array,
  nonce?: Uint8Array,
): SignedTransaction<T> {
  assertString(chainId, 'chainId');
  assertString(actor, 'actor');
  assertString(type, 'type');
  assertObject(body, 'body');
  assertBytes(secretKey, 'secretKey', 32);
  if (nonce !== undefined) assertBytes(nonce, 'nonce', 16);
  const u = checkUnsigned(
    {
      v: 1,
      chain: chainId,
      type,
      actor,
      nonce: toBase64url(nonce ?? randomBytes(16)),
      body,
      signer: getPublicKey(secretKey),
    },
    false,
  );
  const digest = taggedHash(TAGS.ledgerTx, canonicalBytes(u));
  return deepFreeze({ ...u, sig: toBase64url(signDigest(digest, secretKey)) }) as unknown as SignedTransaction<T>;
}

/**
 * Parse a signed transaction from JSON text or UTF-8 bytes (strict parser) and validate it.
 * The signature is verified by the ledger on submission.
 *
 * @throws InvalidEncodingError naming the offset (syntax) or the field (format)
 * @throws InvalidArgumentError if `json` is neither a string nor a Uint8Array
 * @example
 * ```ts
 * import { parseTransaction, serializeTransaction } from 'bpds/chain';
 * declare const tx: import('bpds/chain').SignedTransaction;
 * const same = parseTransaction(serializeTransaction(tx));
 * ```
 */
export function parseTransaction(json: string | Uint8Array): SignedTransaction {
  let s: string;
  if (json instanceof Uint8Array) s = fromUtf8(json, WHAT);
  else {
    assertString(json, 'json');
    s = json;
  }
  if (s.length > TX_LIMITS.maxJsonLength)
    throw new InvalidEncodingError(`${WHAT}: JSON longer than ${TX_LIMITS.maxJsonLength}`);
  return deepFreeze(checkTransaction(parseJsonStrict(s, { maxDepth: 12 })).tx);
}

/**
 * Canonical JSON text (RFC 8785) of a signed transaction: its wire form.
 *
 * @throws InvalidEncodingError if `tx` is not a well-formed transaction
 * @example
 * ```ts
 * import { serializeTransaction } from 'bpds/chain';
 * declare const tx: import('bpds/chain').SignedTransaction;
 * const wire = serializeTransaction(tx);
 * ```
 */
export function serializeTransaction(tx: SignedTransaction): string {
  return new TextDecoder().decode(canonicalBytes(checkTransaction(tx).tx));
}

/** Freeze a JSON value deeply (internal). */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
