// Known-answer tests: every wire format and derived value recomputed from fixed inputs and fixed
// randomness and compared with the committed vectors in test/vectors/kat/ (how they were made:
// test/vectors/kat/README.md). A failure here means a format or derivation changed: that must be
// a deliberate, versioned decision, never a side effect.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTransaction } from '../src/chain/index.js';
import { decrypt, MasterKey, PublicKey, SecretKey } from '../src/cpabe/index.js';
import { parseRecord, verifyRecord } from '../src/index-record/index.js';
import { init } from '../src/pairing/index.js';
import * as K from './vectors/kat/compute.js';

const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`./vectors/kat/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const bytes = (h: unknown) => Uint8Array.from(Buffer.from(h as string, 'hex'));

beforeAll(() => init());

describe('known-answer vectors', () => {
  it('pairing: generators, hashes to Fr/G1/G2, scalar reduction, encodings, pairing', () => {
    expect(K.pairingVectors()).toEqual(load('pairing'));
  });
  it('CP-ABE key derivation: digests, FO stream and mask, AES-GCM key and nonce, KEM key', () => {
    expect(K.kdfVectors()).toEqual(load('cpabe-kdf'));
  });
  it.each(['fame', 'waters11', 'bsw07'] as const)('CP-ABE %s: keys and ciphertext with fixed randomness', async (s) => {
    const want = load(`cpabe-${s}`);
    expect(await K.cpabeVectors(s)).toEqual(want);
    // The committed bytes decode and the committed ciphertext opens with the committed key.
    expect(PublicKey.fromBytes(bytes(want.publicKey)).scheme).toBe(s);
    expect(MasterKey.fromBytes(bytes(want.masterKey)).toBytes()).toEqual(bytes(want.masterKey));
    const sk = SecretKey.fromBytes(bytes(want.secretKey));
    const pt = await decrypt(sk, bytes(want.ciphertext), {
      associatedData: new TextEncoder().encode(want.associatedData as string),
    });
    expect(new TextDecoder().decode(pt)).toBe(want.plaintext);
  });
  it('CES: rule-set encoding and digest, commitment, slot digest', () => {
    expect(K.cesVectors()).toEqual(load('ces'));
  });
  it('index record: digests, fingerprint, canonical text and signature, Merkle roots', () => {
    const want = load('index-record');
    expect(K.indexRecordVectors()).toEqual(want);
    const r = parseRecord(want.record as string);
    expect(verifyRecord(r, Buffer.from(bytes(want.hospitalPublicKey)).toString('base64url'))).toBe(true);
  });
  it('policy: canonical text, digest, LSSS matrix', () => {
    expect(K.policyVectors()).toEqual(load('policy'));
  });
  it('ledger: transaction text and id, JCS', () => {
    const want = load('chain');
    expect(K.chainVectors()).toEqual(want);
    expect(parseTransaction(want.transaction as string)).toBeDefined();
  });
});
