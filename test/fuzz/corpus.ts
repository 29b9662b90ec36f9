/**
 * The fuzz corpus: valid encodings of every decoded type, made through the public
 * API, plus what the oracles need to check a decoded result (the keys that must
 * decrypt or verify it and the original content). Built once per run by the
 * runner, written as JSON next to the results and loaded by every shard, so a
 * failure reproduces from (corpus file, seed, decoder, index).
 */
import { type ExtractionRules, extract, RuleSet, SigningKey, sign, verify } from '../../src/ces/index.js';
import { MemoryLedger, serializeTransaction } from '../../src/chain/index.js';
import { Ciphertext, encapsulate, encrypt, keygen, type SchemeName, setup } from '../../src/cpabe/index.js';
import { init } from '../../src/index.js';
import {
  cesHeaderDigest,
  createRecord,
  generateSigningKey,
  merkleProof,
  merkleRoot,
  serializeRecord,
  signRecord,
} from '../../src/index-record/index.js';
import { blobLocator } from '../../src/protocol/index.js';
import { publish, tx, world } from '../chain-fixture.js';

/** Bytes travel as base64 in the corpus file. */
export type B64 = string;

export interface CpabeCorpus {
  scheme: SchemeName;
  publicKey: B64;
  masterKey: B64;
  publicArmored: string;
  masterArmored: string;
  keys: { attributes: string[]; bytes: B64; armored: string }[];
  ciphertexts: { policy: string; plaintext: B64; bytes: B64; armored: string }[];
  encapsulations: { policy: string; key: B64; bytes: B64; armored: string }[];
}

export interface CesCase {
  signer: number;
  scheme: string;
  record: unknown;
  selection: string[];
  signed: B64;
  signedJson: string;
  presentation: B64;
  presentationJson: string;
  disclosed: string;
  holder?: { key: B64; audience: string; nonce: string; time: number };
}

export interface Corpus {
  cpabe: CpabeCorpus[];
  ces: {
    signers: { algorithm: string; signing: B64; verify: B64; rawSecret: B64; rawPublic: B64 }[];
    cases: CesCase[];
    rules: B64[];
  };
  index: {
    publicKey: B64;
    secretKey: B64;
    records: string[];
    proofs: { root: B64; size: number; leaf: B64; bytes: B64 }[];
  };
  chain: { ledger: string; transactions: string[]; signers: string[] };
  policies: string[];
  locators: string[];
}

export const b64 = (b: Uint8Array): B64 => Buffer.from(b).toString('base64');
export const unb64 = (s: B64): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

const POLICIES = [
  'doctor',
  'cardiology and (doctor or nurse)',
  '2 of (doctor, nurse, er)',
  'doctor and level >= 3',
  'not (visitor or level < 2) and (a or b)',
  '(hospital:st-mary and role:physician) or "emergency team"',
  'x1 or x2 or x3 or x4 or x5 or x6 or x7 or x8',
  '3 of (a, b, c, 2 of (d, e, f), g)',
];

async function cpabeCorpus(scheme: SchemeName): Promise<CpabeCorpus> {
  const { publicKey, masterKey } = setup({ scheme });
  const keys = [
    ['doctor', 'cardiology'],
    ['nurse', 'er'],
    ['doctor', 'level = 4'],
  ].map((attributes) => {
    const k = keygen(masterKey, attributes);
    return { attributes, bytes: b64(k.toBytes()), armored: k.toArmored() };
  });
  const ctPolicies = [
    'doctor',
    'cardiology and (doctor or nurse)',
    '2 of (doctor, nurse, er)',
    'doctor and level >= 3',
  ];
  const ciphertexts = [];
  for (const [i, policy] of ctPolicies.entries()) {
    const plaintext = utf8(`EMR ${scheme} #${i}: ${policy}`);
    const ct = await encrypt(publicKey, policy, plaintext);
    ciphertexts.push({
      policy,
      plaintext: b64(plaintext),
      bytes: b64(ct),
      armored: Ciphertext.fromBytes(ct).toArmored(),
    });
  }
  const encapsulations = [];
  for (const policy of ['doctor', 'nurse and er']) {
    const { key, encapsulation } = encapsulate(publicKey, policy);
    encapsulations.push({
      policy,
      key: b64(key),
      bytes: b64(encapsulation),
      armored: Ciphertext.fromBytes(encapsulation).toArmored(),
    });
  }
  return {
    scheme,
    publicKey: b64(publicKey.toBytes()),
    masterKey: b64(masterKey.toBytes()),
    publicArmored: publicKey.toArmored(),
    masterArmored: masterKey.toArmored(),
    keys,
    ciphertexts,
    encapsulations,
  };
}

const RECORD = {
  resourceType: 'Observation',
  id: 'glucose-1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '15074-8', display: 'Glucose' }] },
  subject: { reference: 'Patient/p-1' },
  valueQuantity: { value: 6.3, unit: 'mmol/L' },
  note: [{ text: 'fasting' }, { text: 'repeat in 3 months' }],
  performer: [{ reference: 'Practitioner/dr-1' }],
};

const RULES: ExtractionRules = {
  id: 'fuzz-observation-v1',
  mandatory: ['/resourceType', '/status'],
  never: ['/performer'],
  groups: [['/valueQuantity/value', '/valueQuantity/unit']],
  requires: [{ if: '/valueQuantity', needs: ['/code'] }],
  thresholds: [{ of: ['/note/0', '/note/1'], atMost: 1 }],
  expression: '/resourceType and (/code or not /subject)',
};

function cesCorpus(): Corpus['ces'] {
  const algs = ['ed25519', 'p256', 'secp256k1', 'bls-bn254'] as const;
  const keys = algs.map((a) => SigningKey.generate(a));
  const signers = keys.map((k) => {
    const bytes = k.toBytes();
    const vk = k.verifyKey();
    return {
      algorithm: k.algorithm,
      signing: b64(bytes),
      verify: b64(vk.toBytes()),
      rawSecret: b64(bytes.slice(3)),
      rawPublic: b64(vk.toRaw()),
    };
  });
  const holderKey = SigningKey.generate('p256');
  const plans: {
    signer: number;
    scheme: 'commit-vector' | 'hash-tree' | 'aggregate';
    rules?: ExtractionRules;
    selection: string[];
    bucket?: number;
    holder?: boolean;
  }[] = [
    { signer: 0, scheme: 'commit-vector', selection: ['/resourceType', '/status', '/valueQuantity', '/code'] },
    { signer: 1, scheme: 'hash-tree', rules: RULES, selection: ['/resourceType', '/status', '/code', '/note/0'] },
    {
      signer: 2,
      scheme: 'commit-vector',
      rules: RULES,
      bucket: 16,
      selection: ['/resourceType', '/status', '/subject', '/code'],
    },
    { signer: 3, scheme: 'aggregate', selection: ['/resourceType', '/note'] },
    { signer: 0, scheme: 'commit-vector', holder: true, selection: ['/resourceType', '/id'] },
    { signer: 0, scheme: 'hash-tree', selection: [] },
  ];
  const cases: CesCase[] = plans.map((p) => {
    const signed = sign(keys[p.signer] as SigningKey, RECORD, {
      scheme: p.scheme,
      ...(p.rules ? { rules: p.rules } : {}),
      ...(p.bucket ? { bucket: p.bucket } : {}),
      ...(p.holder ? { holderPublicKey: holderKey.verifyKey() } : {}),
      issuedAt: 1_790_000_000,
    });
    const holder = p.holder
      ? { key: b64(holderKey.toBytes()), audience: 'https://verifier.example', nonce: 'n-0001', time: 1_790_000_100 }
      : undefined;
    const presentation = extract(
      signed,
      RECORD,
      p.selection,
      holder ? { holder: { key: holderKey, audience: holder.audience, nonce: holder.nonce, time: holder.time } } : {},
    );
    const checked = verify((keys[p.signer] as SigningKey).verifyKey(), presentation, holder ?? {});
    if (!checked.valid) throw new Error(`corpus: presentation ${p.scheme} does not verify`);
    return {
      signer: p.signer,
      scheme: p.scheme,
      record: RECORD,
      selection: p.selection,
      signed: b64(signed.toBytes()),
      signedJson: JSON.stringify(signed.toJSON()),
      presentation: b64(presentation.toBytes()),
      presentationJson: JSON.stringify(presentation.toJSON()),
      disclosed: JSON.stringify(checked.disclosed ?? null),
      ...(holder ? { holder } : {}),
    };
  });
  const rules = [
    RuleSet.from(RULES).toBytes(),
    RuleSet.from({}).toBytes(),
    RuleSet.from({ mandatory: [['note', null, 'text']], forbidden: [['/subject', '/performer']] }).toBytes(),
  ].map(b64);
  return { signers, cases, rules };
}

function indexCorpus(): Corpus['index'] {
  const hospital = generateSigningKey();
  const records: string[] = [];
  let previous: Uint8Array | undefined;
  for (let n = 0; n < 3; n++) {
    const r = signRecord(
      createRecord({
        patient: `patient-${n % 2}`,
        hospitalId: 'st-mary',
        hospitalPublicKey: hospital.publicKey,
        ciphertext: new Uint8Array(40 + n).fill(n),
        scheme: (['fame', 'waters11', 'bsw07'] as const)[n] as 'fame',
        locator: blobLocator(new Uint8Array([n])),
        policyDigest: new Uint8Array(32).fill(n + 1),
        cesHeaderDigest: cesHeaderDigest(new Uint8Array([n])),
        keywords: n === 0 ? [] : ['glucose', `k${n}`],
        ...(previous ? { previous } : {}),
      }),
      hospital.secretKey,
    );
    records.push(serializeRecord(r));
    previous = new Uint8Array(32).fill(0xa0 + n);
  }
  const leaves = Array.from({ length: 7 }, (_, i) => new Uint8Array(32).fill(i + 1));
  const root = merkleRoot(leaves);
  const proofs = [0, 3, 6].map((i) => ({
    root: b64(root),
    size: leaves.length,
    leaf: b64(leaves[i] as Uint8Array),
    bytes: b64(merkleProof(leaves, i).toBytes()),
  }));
  return { publicKey: hospital.publicKey, secretKey: b64(hospital.secretKey), records, proofs };
}

async function chainCorpus(): Promise<Corpus['chain']> {
  const w = await world();
  w.ledger.seal();
  await publish(w, 1);
  await publish(w, 2);
  w.ledger.seal();
  await w.ledger.submit(
    tx(w.authority, 'registerRequester', {
      id: 'lab-1',
      publicKey: generateSigningKey().publicKey,
      attributes: ['role:lab'],
    }),
  );
  const ledger = w.ledger.toJsonLines();
  // Sanity: the export replays.
  await MemoryLedger.fromJsonLines(ledger);
  const transactions: string[] = [];
  const signers = new Set<string>();
  for (const b of w.ledger.blocks) {
    for (const e of b.entries) {
      transactions.push(serializeTransaction(e.tx));
      signers.add(e.tx.signer);
    }
  }
  return { ledger, transactions, signers: [...signers] };
}

/** Build a fresh corpus (calls `init()`). */
export async function buildCorpus(): Promise<Corpus> {
  await init();
  const cpabe: CpabeCorpus[] = [];
  for (const s of ['fame', 'waters11', 'bsw07'] as const) cpabe.push(await cpabeCorpus(s));
  return {
    cpabe,
    ces: cesCorpus(),
    index: indexCorpus(),
    chain: await chainCorpus(),
    policies: POLICIES,
    locators: [blobLocator(new Uint8Array(0)), blobLocator(utf8('EMR'))],
  };
}
