/**
 * Signature checks a ledger runs before the contract: the transaction's Ed25519
 * signature (RFC 8032 §5.1.7) by `tx.signer` over the transaction id, and for
 * `publishRecord` the record's hospital signature by the same key over its record
 * digest. Backends, fastest first: WebCrypto Ed25519 (Node >= 20 and current browsers;
 * Node runs it on its thread pool, so verifications of concurrent submissions overlap),
 * then Node's OpenSSL synchronously, then `@noble/curves`, all under the one bpds rule
 * (`internal/ed25519.ts`, SECURITY.md: strict RFC 8032 encodings, a prime-order A, an R
 * without torsion), so every backend gives the same verdict.
 */
import { recordDigest } from '../index-record/record.js';
import { fromBase64url } from '../internal/bytes.js';
import { type Ed25519Backend, ed25519Verify, isPrimeOrderKey, ruleAdmits } from '../internal/ed25519.js';
import type { CheckedTransaction } from './transaction.js';
import type { TxBodies } from './types.js';

type Subtle = SubtleCrypto;
const subtle: Subtle | undefined = globalThis.crypto?.subtle;
const ALG = { name: 'Ed25519' } as const;
/** WebCrypto wants ArrayBuffer-backed views; ours always are. */
const buf = (u: Uint8Array): Uint8Array<ArrayBuffer> => u as Uint8Array<ArrayBuffer>;
const keys = new Map<string, Promise<CryptoKey | null>>();
let webcrypto: Promise<boolean> | undefined;

function support(): Promise<boolean> {
  webcrypto ??= (async () => {
    if (subtle === undefined) return false;
    try {
      // RFC 8032 §7.1 test 1: checks that the platform really verifies Ed25519.
      const pk = fromBase64url('11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo');
      const sig = fromBase64url(
        '5VZDAMNgrHKQhuLMgG6CioSHfx645dl02HPgZSJJAVVfuIIVkKM7rMYeOXAc-bRr0lv18FlbviRlUUFDjnoQCw',
      );
      const k = await subtle.importKey('raw', buf(pk), ALG, false, ['verify']);
      return (
        (await subtle.verify(ALG, k, buf(sig), new Uint8Array(0))) &&
        !(await subtle.verify(ALG, k, buf(sig), new Uint8Array(1)))
      );
    } catch {
      return false;
    }
  })();
  return webcrypto;
}

function importKey(text: string, raw: Uint8Array): Promise<CryptoKey | null> {
  let k = keys.get(text);
  if (k === undefined) {
    if (keys.size > 10_000) keys.clear();
    k = (subtle as Subtle).importKey('raw', buf(raw), ALG, false, ['verify']).catch(() => null);
    keys.set(text, k);
  }
  return k;
}

/** A verification backend: WebCrypto here, Node's OpenSSL or noble in `internal/ed25519.ts`. */
export type VerifyBackend = 'webcrypto' | Ed25519Backend;

/**
 * Ed25519 verification under the bpds rule (`internal/ed25519.ts`: strict encodings, A of prime
 * order, R without torsion, then the equation), never throws on bad input. `backend` forces one
 * (tests); by default WebCrypto where it verifies Ed25519, else Node's OpenSSL, else noble.
 *
 * @throws Error only when a forced backend is unavailable
 */
export async function verifyEd25519(
  sig: Uint8Array,
  msg: Uint8Array,
  pk: Uint8Array,
  pkText: string,
  backend?: VerifyBackend,
): Promise<boolean> {
  if (backend !== undefined && backend !== 'webcrypto') return ed25519Verify(sig, msg, pk, backend);
  // Rules 1 and 2 (strict encodings, prime-order A) whatever the backend.
  if (!ruleAdmits(sig, pk)) return false;
  const web = await support();
  if (backend === 'webcrypto' && !web) throw new Error('WebCrypto Ed25519 is not available');
  if (web) {
    // WebCrypto is cofactorless: with a prime-order A, an R with a torsion component fails (rule 3).
    const key = await importKey(pkText, pk);
    if (key === null) return false;
    try {
      return await (subtle as Subtle).verify(ALG, key, buf(sig), buf(msg));
    } catch {
      return false;
    }
  }
  // No WebCrypto Ed25519: Node's OpenSSL synchronously if present, else noble.
  return ed25519Verify(sig, msg, pk);
}

/** Result of {@link verifyTransaction}. */
export interface SignatureCheck {
  /** The transaction signature verifies. */
  readonly tx: boolean;
  /** For `publishRecord`: the record signature verifies under the same key. */
  readonly record: boolean;
}

/**
 * Verify a checked transaction's signature(s). Internal; never rejects (ledgers hold this
 * promise while earlier transactions apply, so it must not reject unobserved).
 */
export async function verifyTransaction(c: CheckedTransaction): Promise<SignatureCheck> {
  try {
    const txOk = verifyEd25519(c.sig, c.id, c.signer, c.tx.signer);
    if (c.tx.type !== 'publishRecord') return { tx: await txOk, record: false };
    const record = (c.tx.body as TxBodies['publishRecord']).record;
    const recOk = verifyEd25519(
      fromBase64url(record.signature.value),
      c.recordDigest ?? recordDigest(record),
      c.signer,
      c.tx.signer,
    );
    const [a, b] = await Promise.all([txOk, recOk]);
    return { tx: a, record: b };
  } catch {
    return { tx: false, record: false };
  }
}

/**
 * Internal: whether a public key is acceptable under the bpds rule: a strict encoding of a point
 * of prime order (no small-order or mixed-order keys). Cached per key.
 */
export function isValidEd25519Key(pk: Uint8Array): boolean {
  return isPrimeOrderKey(pk);
}
