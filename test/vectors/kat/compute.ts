// Known-answer vectors of bpds: every derived value and wire format computed from fixed inputs
// and fixed randomness. `generate.ts` writes them to the JSON files next to this one (once, and
// again only as a deliberate, versioned format change); test/kat.test.ts recomputes them and
// compares byte for byte. See README.md.
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { type ExtractionRules, RuleSet } from '../../../src/ces/index.js';
import { commit } from '../../../src/ces/internal/commit.js';
import { slotDigest } from '../../../src/ces/sign.js';
import { attestPatient, createTransaction, serializeTransaction, txId } from '../../../src/chain/index.js';
import { type Ciphertext, decrypt, type SchemeName } from '../../../src/cpabe/index.js';
import { writeHeader } from '../../../src/cpabe/internal/format.js';
import {
  demKey,
  foMask,
  foStream,
  headerDigest,
  kemKey,
  publicKeyDigest,
  xor32,
} from '../../../src/cpabe/internal/kdf.js';
import { keyLabels, preparePolicy } from '../../../src/cpabe/internal/policy-bridge.js';
import { makeMasterKey, makePublicKey, makeSecretKey, publicKeyInner } from '../../../src/cpabe/keys.js';
import type { ScalarSource } from '../../../src/cpabe/scheme.js';
import { coreByName } from '../../../src/cpabe/schemes/index.js';
import {
  ciphertextDigest,
  createRecord,
  keyFingerprint,
  merkleRoot,
  recordDigest,
  serializeRecord,
  signRecord,
} from '../../../src/index-record/index.js';
import { concatBytes, lp } from '../../../src/internal/bytes.js';
import { ByteWriter } from '../../../src/internal/codec.js';
import { ed25519PublicKey } from '../../../src/internal/ed25519.js';
import { canonicalizeJson } from '../../../src/internal/jcs.js';
import * as P from '../../../src/pairing/index.js';
import { formatPolicy, parsePolicy, policyDigest, toLsss } from '../../../src/policy/index.js';

export type Vectors = Record<string, unknown>;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
/** Fixed bytes: SHA-256 of a label, repeated to n bytes. */
export function fixed(label: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 32) out.set(sha256(utf8(`${label}/${i}`)).subarray(0, Math.min(32, n - i)), i);
  return out;
}
/** Deterministic scalar source for vectors only: SHA-512(label || counter) mod r. */
export function drbg(label: string): ScalarSource {
  let c = 0;
  return () => P.frFromWide(sha512(utf8(`${label}/${c++}`)));
}

const MSGS = ['', 'abc', 'bpds known-answer vector'];

/** Generators, hashes to Fr/G1/G2, scalar reduction, group encodings, one pairing. */
export function pairingVectors(): Vectors {
  const g1 = P.g1Generator();
  const g2 = P.g2Generator();
  const dst = 'bpds/v1/kat';
  return {
    g1Generator: hex(P.g1ToBytes(g1)),
    g2Generator: hex(P.g2ToBytes(g2)),
    hashToFr: MSGS.map((m) => ({ dst, msg: m, out: hex(P.frToBytes(P.hashToFr(dst, utf8(m)))) })),
    hashToG1: MSGS.map((m) => ({ dst, msg: m, out: hex(P.g1ToBytes(P.hashToG1(dst, utf8(m)))) })),
    hashToG2: MSGS.map((m) => ({ dst, msg: m, out: hex(P.g2ToBytes(P.hashToG2(dst, utf8(m)))) })),
    frFromWide: { in: hex(fixed('wide', 64)), out: hex(P.frToBytes(P.frFromWide(fixed('wide', 64)))) },
    g1Mul7: hex(P.g1ToBytes(P.g1Mul(g1, P.frFrom(7)))),
    g2Mul7: hex(P.g2ToBytes(P.g2Mul(g2, P.frFrom(7)))),
    pairingG1G2: hex(P.gtToBytes(P.pair(g1, g2))),
  };
}

/** The CP-ABE key derivations: public-key and header digests, FO stream and mask, DEM and KEM keys. */
export function kdfVectors(): Vectors {
  const sigma = fixed('sigma', 32);
  const pkDigest = publicKeyDigest(fixed('public key bytes', 100));
  const prefix = fixed('prefix', 40);
  const digest = headerDigest(fixed('header', 77));
  const Z = P.gtPow(P.pair(P.g1Generator(), P.g2Generator()), P.frFrom(12345));
  const s = foStream(sigma, pkDigest, prefix);
  const dem = demKey(sigma, pkDigest, digest);
  return {
    sigma: hex(sigma),
    publicKeyDigest: hex(pkDigest),
    prefix: hex(prefix),
    headerDigest: hex(digest),
    foStream: [s(), s(), s(), s()].map((x) => hex(P.frToBytes(x))),
    Z: 'e(g1, g2)^12345',
    foMask: hex(foMask(Z, pkDigest, digest)),
    demKey: hex(dem.key),
    demIv: hex(dem.iv),
    kemKey: hex(kemKey(Z, pkDigest, digest)),
    xor32: hex(xor32(sigma, digest)),
  };
}

const KAT_POLICY = 'cardiology and (doctor or nurse) and level#u4 >= 5';
const KAT_ATTRS = ['cardiology', 'nurse', 'level#u4 = 9'];
const KAT_PLAINTEXT = 'bpds known-answer plaintext';
const KAT_AD = 'record-kat';

/** A hybrid ciphertext as `encrypt` builds it, with sigma fixed instead of drawn. */
async function encryptWithSigma(publicKey: ReturnType<typeof makePublicKey>, sigma: Uint8Array): Promise<Uint8Array> {
  const pub = publicKeyInner(publicKey);
  const prepared = preparePolicy(KAT_POLICY, 'policy');
  const w = new ByteWriter();
  writeHeader(w, 'ciphertext', pub.core);
  w.string(prepared.text);
  const prefix = w.finish();
  const { ct, key: Z } = pub.core.encapsulate(pub.pk, prepared.lsss, foStream(sigma, pub.digest, prefix));
  const abe = new ByteWriter();
  pub.core.writeCiphertext(abe, ct);
  const body = concatBytes(prefix, abe.finish());
  const header = concatBytes(body, xor32(sigma, foMask(Z, pub.digest, headerDigest(body))));
  const { key, iv } = demKey(sigma, pub.digest, headerDigest(header));
  const k = await globalThis.crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [
    'encrypt',
  ]);
  const sealed = await globalThis.crypto.subtle.encrypt(
    {
      name: 'AES-GCM',
      iv: iv as Uint8Array<ArrayBuffer>,
      additionalData: concatBytes(header, lp(utf8(KAT_AD))) as Uint8Array<ArrayBuffer>,
    },
    k,
    utf8(KAT_PLAINTEXT) as Uint8Array<ArrayBuffer>,
  );
  return concatBytes(header, new Uint8Array(sealed));
}

/** Keys and a ciphertext of one scheme with fixed randomness, and the ciphertext's plaintext. */
export async function cpabeVectors(scheme: SchemeName): Promise<Vectors> {
  const core = coreByName(scheme)!;
  const { pk, mk } = core.setup(drbg(`kat/${scheme}/setup`), {});
  const publicKey = makePublicKey(core, pk);
  const masterKey = makeMasterKey(core, publicKey, mk);
  const sk = core.keygen(pk, mk, keyLabels(KAT_ATTRS), drbg(`kat/${scheme}/keygen`));
  const secretKey = makeSecretKey(core, publicKey, sk, KAT_ATTRS);
  const ct = await encryptWithSigma(publicKey, fixed(`kat/${scheme}/sigma`, 32));
  const opened = new TextDecoder().decode(await decrypt(secretKey, ct, { associatedData: utf8(KAT_AD) }));
  if (opened !== KAT_PLAINTEXT) throw new Error('kat: the vector ciphertext does not decrypt');
  return {
    scheme,
    policy: KAT_POLICY,
    attributes: KAT_ATTRS,
    plaintext: KAT_PLAINTEXT,
    associatedData: KAT_AD,
    publicKey: hex(publicKey.toBytes()),
    masterKey: hex(masterKey.toBytes()),
    secretKey: hex(secretKey.toBytes()),
    ciphertext: hex(ct),
  };
}

export type { Ciphertext };

const KAT_RULES: ExtractionRules = {
  id: 'kat-v1',
  mandatory: ['/resourceType'],
  never: ['/id'],
  groups: [['/address']],
  requires: [{ if: '/birthDate', needs: ['/gender'] }],
};

/** CES: rule-set encoding and digest, commitments, the slot digest. */
export function cesVectors(): Vectors {
  const rules = RuleSet.from(KAT_RULES);
  const salt = fixed('ces salt', 16);
  const items = [utf8('"Patient"'), null, utf8('"female"')];
  return {
    rules: KAT_RULES,
    rulesBytes: new TextDecoder().decode(rules.toBytes()),
    rulesDigest: hex(rules.digest),
    commit: { salt: hex(salt), bytes: hex(utf8('"Patient"')), out: hex(commit(salt, utf8('"Patient"'))) },
    slotDigest: {
      items: items.map((b) => (b === null ? null : hex(b))),
      out: hex(slotDigest(items)),
    },
  };
}

/** Index record: digests, fingerprint, canonical text and signature; Merkle roots. */
export function indexRecordVectors(): Vectors {
  const seed = fixed('hospital seed', 32);
  const raw = ed25519PublicKey(seed);
  const key = { secretKey: seed, publicKey: Buffer.from(raw).toString('base64url') };
  const record = signRecord(
    createRecord({
      patient: 'pt-kat',
      hospitalId: 'st-kat',
      hospitalPublicKey: key.publicKey,
      ciphertext: fixed('stored ciphertext', 100),
      scheme: 'fame',
      locator: 'blob:kat',
      policyDigest: policyDigest(parsePolicy('a and b')),
      cesHeaderDigest: new Uint8Array(32).fill(9),
      recordId: fixed('record id', 16),
      createdAt: new Date('2026-11-24T20:00:00Z'),
      keywords: ['cardiology'],
    }),
    key.secretKey,
  );
  const leaves = [1, 2, 3].map((i) => new Uint8Array(32).fill(i));
  return {
    hospitalPublicKey: hex(raw),
    keyFingerprint: hex(keyFingerprint(key.publicKey)),
    ciphertextDigest: hex(ciphertextDigest(fixed('stored ciphertext', 100))),
    record: serializeRecord(record),
    recordDigest: hex(recordDigest(record)),
    merkleRootEmpty: hex(merkleRoot([])),
    merkleRoot3: hex(merkleRoot(leaves)),
  };
}

/** Policy: canonical text, digest and LSSS matrix. */
export function policyVectors(): Vectors {
  const p = parsePolicy('2 of (a, b, c) and (d or level#u3 >= 5)');
  const l = toLsss(p, P.BN254_R);
  return {
    canonical: formatPolicy(p),
    digest: hex(policyDigest(p)),
    rowLabels: l.rowLabels,
    matrix: l.matrix.map((row) => row.map((x) => x.toString())),
  };
}

/** Ledger: a transaction with a fixed key and nonce, its text and id; JCS of a tricky value. */
export function chainVectors(): Vectors {
  const seed = fixed('patient seed', 32);
  const key = { secretKey: seed, publicKey: Buffer.from(ed25519PublicKey(seed)).toString('base64url') };
  // The patient's hospital attests the pseudonym-key binding (Ed25519 is deterministic).
  const attestation = attestPatient(
    'bpds-kat',
    { id: 'pt-kat', publicKey: key.publicKey },
    { id: 'hospital-kat', secretKey: fixed('hospital seed', 32) },
  );
  const t = createTransaction(
    'bpds-kat',
    'pt-kat',
    'registerPatient',
    { id: 'pt-kat', publicKey: key.publicKey, attestation },
    key.secretKey,
    fixed('nonce', 16),
  );
  return {
    attestation: attestation.sig,
    transaction: serializeTransaction(t),
    txId: txId(t),
    jcs: canonicalizeJson({ b: [1, 1e21, -0.5, 'é\u2028'], a: { z: null, y: true } }),
  };
}

/** The curve-dependent vectors (pairing and CP-ABE) of the loaded curve. */
export async function curveVectors(): Promise<Record<string, Vectors>> {
  return {
    pairing: pairingVectors(),
    'cpabe-fame': await cpabeVectors('fame'),
    'cpabe-waters11': await cpabeVectors('waters11'),
    'cpabe-bsw07': await cpabeVectors('bsw07'),
  };
}

export async function allVectors(): Promise<Record<string, Vectors>> {
  await P.init();
  return {
    pairing: pairingVectors(),
    'cpabe-kdf': kdfVectors(),
    'cpabe-fame': await cpabeVectors('fame'),
    'cpabe-waters11': await cpabeVectors('waters11'),
    'cpabe-bsw07': await cpabeVectors('bsw07'),
    ces: cesVectors(),
    'index-record': indexRecordVectors(),
    policy: policyVectors(),
    chain: chainVectors(),
  };
}
