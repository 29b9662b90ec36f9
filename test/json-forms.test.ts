/**
 * JSON forms (issue 13): every class the package exports either has the one documented
 * JSON form `{ typ, v: 1, data: base64url(toBytes()) }` (public keys, ciphertexts, proofs,
 * signed records, presentations; rule sets keep their normalized rule object) that
 * round-trips through `JSON.stringify`/`fromJSON`, or its `toJSON` throws a typed
 * `InvalidArgumentError` (secret keys, naming the export methods; live objects such as
 * ledgers, blob stores, protocol roles and keyrings). `JSON.stringify` never yields `{}`.
 *
 * The class list is read from the modules themselves: a class exported later without an
 * entry in FACTORIES fails the first test.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ces from '../src/ces/index.js';
import * as chain from '../src/chain/index.js';
import * as cpabe from '../src/cpabe/index.js';
import * as errors from '../src/errors.js';
import { BpdsError, InvalidArgumentError, InvalidEncodingError, isBpdsError } from '../src/errors.js';
import * as evm from '../src/evm/index.js';
import * as root from '../src/index.js';
import { init } from '../src/index.js';
import * as indexRecord from '../src/index-record/index.js';
import * as node from '../src/node/index.js';
import * as policy from '../src/policy/index.js';
import * as protocol from '../src/protocol/index.js';
import * as s3 from '../src/s3/index.js';
import * as workers from '../src/workers/index.js';
import { runs } from './helpers.js';

const MODULES: Record<string, Record<string, unknown>> = {
  bpds: root,
  'bpds/policy': policy,
  'bpds/cpabe': cpabe,
  'bpds/ces': ces,
  'bpds/index-record': indexRecord,
  'bpds/chain': chain,
  'bpds/protocol': protocol,
  'bpds/errors': errors,
  'bpds/node': node,
  'bpds/s3': s3,
  'bpds/evm': evm,
  'bpds/workers': workers,
};

const isClass = (v: unknown): v is new (...a: never[]) => unknown =>
  typeof v === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(v));

/** Every exported class that is not an error class, by name. */
function exportedClasses(): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const mod of Object.values(MODULES)) {
    for (const [name, v] of Object.entries(mod)) {
      if (isClass(v) && !(v.prototype instanceof Error)) out.set(name, v);
    }
  }
  return out;
}

let fixtures: Awaited<ReturnType<typeof makeFixtures>>;

async function makeFixtures() {
  const { publicKey, masterKey } = cpabe.setup();
  const secretKey = cpabe.keygen(masterKey, ['a', 'b']);
  const hybrid = cpabe.Ciphertext.fromBytes(await cpabe.encrypt(publicKey, 'a and b', Uint8Array.of(1, 2, 3)));
  const kem = cpabe.Ciphertext.fromBytes(cpabe.encapsulate(publicKey, 'a or c').encapsulation);
  const signingKey = ces.SigningKey.generate();
  const record = { resourceType: 'Observation', status: 'final', code: { text: 'HbA1c' } };
  const rules = ces.RuleSet.from({ mandatory: ['/resourceType'] });
  const signed = ces.sign(signingKey, record, { rules });
  const presentation = ces.extract(signed, record, ['/resourceType', '/status']);
  const proof = indexRecord.merkleProof(
    [1, 2, 3].map((i) => new Uint8Array(32).fill(i)),
    1,
  );
  const authority = protocol.Authority.create();
  const ledger = new chain.MemoryLedger({ chainId: 'json-forms', authorities: [authority.genesis] });
  const store = new protocol.MemoryBlobStore();
  return {
    authority,
    publicKey,
    masterKey,
    secretKey,
    hybrid,
    kem,
    signingKey,
    rules,
    signed,
    presentation,
    proof,
    ledger,
    store,
  };
}

/** How to obtain an instance of every exported class. */
const FACTORIES: Record<string, () => unknown> = {
  PublicKey: () => fixtures.publicKey,
  MasterKey: () => fixtures.masterKey,
  SecretKey: () => fixtures.secretKey,
  Ciphertext: () => fixtures.hybrid,
  SigningKey: () => fixtures.signingKey,
  VerifyKey: () => fixtures.signingKey.verifyKey(),
  RuleSet: () => fixtures.rules,
  SignedRecord: () => fixtures.signed,
  Presentation: () => fixtures.presentation,
  MerkleProof: () => fixtures.proof,
  MemoryLedger: () => fixtures.ledger,
  PermissionContract: () =>
    new chain.PermissionContract({ chainId: 'json-forms', authorities: [fixtures.authority.genesis] }),
  Authority: () => fixtures.authority,
  Hospital: () =>
    new protocol.Hospital({
      id: 'st-mary',
      ledger: fixtures.ledger,
      store: fixtures.store,
      publicKey: fixtures.publicKey,
    }),
  Patient: () =>
    new protocol.Patient({
      id: 'p-1',
      ledger: fixtures.ledger,
      store: fixtures.store,
      publicKey: fixtures.publicKey,
      key: fixtures.secretKey,
    }),
  Requester: () =>
    new protocol.Requester({ id: 'dr-chen', ledger: fixtures.ledger, store: fixtures.store, key: fixtures.secretKey }),
  Custodian: () =>
    new protocol.Custodian({
      id: 'guardian',
      ledger: fixtures.ledger,
      secretKey: indexRecord.generateSigningKey().secretKey,
    }),
  MemoryBlobStore: () => fixtures.store,
  BlobHasher: () => new protocol.BlobHasher(),
  FileBlobStore: () => new node.FileBlobStore(join(mkdtempSync(join(tmpdir(), 'bpds-json-')), 'blobs')),
  S3BlobStore: () => new s3.S3BlobStore({ client: new S3Client({ region: 'us-east-1' }), bucket: 'bpds' }),
  PartyKeyring: () => new evm.PartyKeyring({ generate: true }),
  // connect() needs a node; toJSON reads no field, so a bare instance shows the behaviour
  EvmLedger: () => Object.create(evm.EvmLedger.prototype),
  // a real pool starts workers; toJSON reads no field, so a bare instance shows the behaviour
  WorkerPool: () => Object.create(workers.WorkerPool.prototype),
};

/** Classes with the `{ typ, v: 1, data }` form and a static `fromJSON`. */
const JSON_FORMS = {
  PublicKey: { cls: cpabe.PublicKey, typ: 'bpds-cpabe-public-key' },
  Ciphertext: { cls: cpabe.Ciphertext, typ: 'bpds-cpabe-ciphertext' },
  VerifyKey: { cls: ces.VerifyKey, typ: 'bpds-ces-verify-key' },
  SignedRecord: { cls: ces.SignedRecord, typ: 'bpds-ces-signed' },
  Presentation: { cls: ces.Presentation, typ: 'bpds-ces-presentation' },
  MerkleProof: { cls: indexRecord.MerkleProof, typ: 'bpds-merkle-proof' },
} as const;

type Decoder = { fromJSON(json: never): { toJSON(): unknown } };
const decoder = (name: keyof typeof JSON_FORMS) => JSON_FORMS[name].cls as unknown as Decoder;

beforeAll(async () => {
  await init();
  fixtures = await makeFixtures();
});

describe('JSON forms of every exported class', () => {
  it('every exported class has an instance factory (a new class must decide its JSON form)', () => {
    expect([...exportedClasses().keys()].sort()).toEqual(Object.keys(FACTORIES).sort());
  });

  it.each(Object.keys(FACTORIES))('%s: JSON.stringify gives its JSON form or a typed error, never {}', (name) => {
    const value = (FACTORIES[name] as () => unknown)();
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (e) {
      expect(isBpdsError(e, 'ERR_INVALID_ARGUMENT'), String(e)).toBe(true);
      expect((e as Error).message).toMatch(/has no JSON form/);
      expect(name in JSON_FORMS).toBe(false);
      return;
    }
    expect(text).toBeTypeOf('string');
    expect(text).not.toBe('{}');
    if (name in JSON_FORMS) {
      const { typ } = JSON_FORMS[name as keyof typeof JSON_FORMS];
      const parsed = JSON.parse(text as string);
      expect(Object.keys(parsed).sort()).toEqual(['data', 'typ', 'v']);
      expect(parsed).toMatchObject({ typ, v: 1 });
      const d = decoder(name as keyof typeof JSON_FORMS);
      expect(JSON.stringify(d.fromJSON(text as never))).toBe(text);
      expect(JSON.stringify(d.fromJSON(parsed as never))).toBe(text);
    }
  });

  it('secret keys name the explicit export methods', () => {
    for (const secret of [fixtures.masterKey, fixtures.secretKey, fixtures.signingKey]) {
      expect(() => JSON.stringify({ secret })).toThrow(InvalidArgumentError);
      expect(() => JSON.stringify({ secret })).toThrow(/no JSON form \(it is secret\).*toBytes\(\)/);
    }
  });

  it('KEM encapsulations and every CES algorithm round-trip too', () => {
    const kem = fixtures.kem;
    expect(cpabe.Ciphertext.fromJSON(JSON.stringify(kem)).toBytes()).toEqual(kem.toBytes());
    for (const alg of ['ed25519', 'p256', 'secp256k1', 'bls-bn254'] as const) {
      const vk = ces.SigningKey.generate(alg).verifyKey();
      expect(ces.VerifyKey.fromJSON(JSON.stringify(vk)).equals(vk)).toBe(true);
    }
    expect(ces.RuleSet.from(JSON.parse(JSON.stringify(fixtures.rules))).toBytes()).toEqual(fixtures.rules.toBytes());
  });
});

describe('fromJSON rejects everything else with a typed error', () => {
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  /** Throws unless `f` returns or throws InvalidEncodingError (InvalidArgumentError for non-string, non-object input). */
  function typed(f: () => { toJSON(): unknown }, input: unknown): void {
    try {
      const v = f();
      // whatever decodes is canonical: it round-trips
      const again = JSON.stringify(v);
      expect(JSON.stringify((v.constructor as unknown as Decoder).fromJSON(again as never))).toBe(again);
    } catch (e) {
      if (!(e instanceof BpdsError)) throw e;
      const objectLike =
        typeof input === 'string' || (typeof input === 'object' && input !== null && !Array.isArray(input));
      expect(e.code, `${e.code} ${e.message}`).toBe(objectLike ? 'ERR_INVALID_ENCODING' : 'ERR_INVALID_ARGUMENT');
    }
  }

  it.each(Object.keys(JSON_FORMS))('%s: arbitrary values, texts and mutated forms', (name) => {
    const d = decoder(name as keyof typeof JSON_FORMS);
    const good = JSON.parse(JSON.stringify((FACTORIES[name] as () => unknown)())) as { typ: string; data: string };
    const mutated = fc
      .record({ at: fc.nat(), ch: fc.constantFrom(...B64), cut: fc.nat(), mode: fc.constantFrom(0, 1, 2, 3) })
      .map(({ at, ch, cut, mode }) => {
        const s = good.data;
        const i = at % Math.max(1, s.length);
        if (mode === 0) return { ...good, data: s.slice(0, i) + ch + s.slice(i + 1) };
        if (mode === 1) return { ...good, data: s.slice(0, cut % (s.length + 1)) };
        if (mode === 2) return { ...good, data: s + ch };
        return JSON.stringify({ ...good, data: s.slice(0, i) + ch + s.slice(i + 1) });
      });
    const wrongShape = fc.oneof(
      fc.record({ typ: fc.string(), v: fc.integer(), data: fc.string() }),
      fc.constant({ ...good, v: 2 }),
      fc.constant({ ...good, typ: `${good.typ}x` }),
      fc.constant({ ...good, extra: 1 }),
      fc.constant(`{"typ":"${good.typ}","v":1,"data":"${good.data}","data":"${good.data}"}`),
      fc.constant({ typ: good.typ, v: 1 }),
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.json(), wrongShape, mutated), (input) => {
        typed(() => d.fromJSON(input as never), input);
      }),
      { numRuns: runs(150) },
    );
  });

  it('wrong typ, version or extra members are InvalidEncodingError; a non-object is InvalidArgumentError', () => {
    const good = fixtures.publicKey.toJSON();
    for (const bad of [
      { ...good, typ: 'bpds-cpabe-ciphertext' },
      { ...good, v: 2 },
      { ...good, extra: 1 },
      '[]',
      'x',
    ]) {
      expect(() => cpabe.PublicKey.fromJSON(bad as never)).toThrow(InvalidEncodingError);
    }
    expect(() => cpabe.PublicKey.fromJSON(3 as never)).toThrow(InvalidArgumentError);
    expect(() => indexRecord.MerkleProof.fromJSON(fixtures.publicKey.toJSON())).toThrow(/expected \{"typ"/);
  });
});
