import { describe, expect, it } from 'vitest';
import {
  type ExtractionRules,
  extract,
  type JsonValue,
  Presentation,
  RuleSet,
  type SchemeName,
  type SignatureAlgorithm,
  SignedRecord,
  SigningKey,
  sign,
  VerifyKey,
  verify,
} from '../src/ces/index.js';
import { ExtractionNotAllowedError, InvalidArgumentError, InvalidEncodingError } from '../src/errors.js';
import { toBase64url } from '../src/internal/bytes.js';
import { init } from '../src/pairing/index.js';
import { hex, jcs, tagged, utf8 } from './digest-oracle.js';
import { testBlsAlg } from './helpers.js';

await init();

const patient: JsonValue = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ family: 'Doe', given: ['Jane', 'Q'] }],
  gender: 'female',
  birthDate: '1970-01-01',
  address: [{ city: 'Springfield', postalCode: '12345' }],
  'a.b': JSON.parse('{"":1,"x/y~z":[],"__proto__":{"polluted":true}}'),
};

const BLS = testBlsAlg();
const SCHEMES: { scheme: SchemeName; alg: SignatureAlgorithm }[] = [
  { scheme: 'commit-vector', alg: 'ed25519' },
  { scheme: 'commit-vector', alg: 'p256' },
  { scheme: 'hash-tree', alg: 'secp256k1' },
  { scheme: 'hash-tree', alg: 'ed25519' },
  { scheme: 'aggregate', alg: BLS },
];

function expectCode(f: () => unknown, cls: new (...a: never[]) => Error, pattern?: RegExp): Error {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    if (pattern) expect((e as Error).message).toMatch(pattern);
    return e as Error;
  }
  return expect.unreachable(`expected ${cls.name}`);
}

describe.each(SCHEMES)('$scheme with $alg', ({ scheme, alg }) => {
  const key = SigningKey.generate(alg);
  const rules: ExtractionRules = {
    id: 'patient-v1',
    mandatory: ['/resourceType'],
    never: ['/id'],
    groups: [['/address']],
    requires: [{ if: '/birthDate', needs: ['/gender'] }],
  };

  it('signs, extracts and verifies a selection; hidden parts are absent', () => {
    const signed = sign(key, patient, { scheme, rules });
    expect(signed.scheme).toBe(scheme);
    const p = extract(signed, patient, ['/resourceType', '/name/0/given/1', ['a.b'], '/address']);
    for (const input of [p, p.toBytes(), p.toJSON(), JSON.stringify(p)]) {
      const r = verify(key.verifyKey(), input);
      expect(r.valid).toBe(true);
      if (!r.valid) return;
      expect(r.disclosed).toEqual({
        resourceType: 'Patient',
        name: [{ given: ['Q'] }],
        'a.b': JSON.parse('{"":1,"x/y~z":[],"__proto__":{"polluted":true}}'),
        address: [{ city: 'Springfield', postalCode: '12345' }],
      });
      expect(Object.getPrototypeOf((r.disclosed as Record<string, JsonValue>)['a.b'])).toBe(Object.prototype);
      expect(r.claims.map((c) => c.path)).toContainEqual(['name', 0, 'given', 1]);
      expect(r.rulesId).toBe('patient-v1');
      // The rules digest from its definition: H("bpds/v1/ces/rules", JCS(canonical rules)), the
      // canonical form written out by hand (paths as claims-path arrays, every list present).
      const canonical = {
        v: 1,
        id: 'patient-v1',
        mandatory: [['resourceType']],
        never: [['id']],
        groups: [[['address']]],
        requires: [{ if: ['birthDate'], needs: [['gender']] }],
        thresholds: [],
        forbidden: [],
      };
      expect(new TextDecoder().decode(RuleSet.from(rules).toBytes())).toBe(jcs(canonical));
      expect(r.rulesDigest).toBe(hex(tagged('bpds/v1/ces/rules', utf8(jcs(canonical)))));
      expect(r.documentId).toBe(signed.documentId);
      expect(r.documentId).toMatch(/^[0-9a-f]{32}$/);
      expect(r.holderBound).toBe(false);
    }
  });

  it('survives binary and JSON round trips of the signed record', () => {
    const signed = sign(key, patient, { scheme, rules, bucket: 16 });
    expect(signed.count % 16).toBe(0);
    const again = SignedRecord.fromJSON(JSON.stringify(SignedRecord.fromBytes(signed.toBytes())));
    expect(again.toBytes()).toEqual(signed.toBytes());
    const r = verify(key.verifyKey(), extract(again, patient, ['/resourceType', '/gender']));
    expect(r.valid && r.disclosed).toEqual({ resourceType: 'Patient', gender: 'female' });
  });

  it('refuses selections that break the rules and names the rule', () => {
    const signed = sign(key, patient, { scheme, rules });
    const cases: [string[], string][] = [
      [['/gender'], 'mandatory(/resourceType)'],
      [['/resourceType', '/id'], 'never(/id)'],
      [['/resourceType', '/address/0/city'], 'group(/address)'],
      [['/resourceType', '/birthDate'], 'requires(/birthDate -> /gender)'],
    ];
    for (const [sel, rule] of cases) {
      const e = expectCode(() => extract(signed, patient, sel), ExtractionNotAllowedError);
      expect((e as ExtractionNotAllowedError).rule).toBe(rule);
      expect((e as ExtractionNotAllowedError).code).toBe('ERR_EXTRACTION_NOT_ALLOWED');
    }
  });

  it('rejects a wrong key and a key of another algorithm with valid: false', () => {
    const signed = sign(key, patient, { scheme });
    const p = extract(signed, patient, ['/gender']);
    expect(verify(SigningKey.generate(alg).verifyKey(), p)).toEqual({ valid: false, reason: 'signature' });
    const other = alg === 'ed25519' ? 'p256' : 'ed25519';
    expect(verify(SigningKey.generate(other).verifyKey(), p)).toEqual({ valid: false, reason: 'key' });
  });

  it('supports units, record order and an empty disclosure', () => {
    const signed = sign(key, patient, { scheme, units: [['name', null], '/address'], order: 'record' });
    expect(signed.count).toBe(9);
    const r = verify(key.verifyKey(), extract(signed, patient, ['/name/0']));
    expect(r.valid && r.disclosed).toEqual({ name: [{ family: 'Doe', given: ['Jane', 'Q'] }] });
    expect(r.valid && r.claims).toEqual([{ path: ['name', 0], value: { family: 'Doe', given: ['Jane', 'Q'] } }]);
    expectCode(() => extract(signed, patient, ['/name/0/family']), InvalidArgumentError, /inside \/name\/0/);
    const none = verify(key.verifyKey(), extract(signed, patient, []));
    expect(none.valid && none.disclosed).toBeUndefined();
    const all = verify(key.verifyKey(), extract(signed, patient, [[]]));
    expect(all.valid && all.disclosed).toEqual(JSON.parse(JSON.stringify(patient)));
  });

  it('binds presentations to a holder key, audience and nonce', () => {
    const holder = SigningKey.generate(alg === BLS ? 'ed25519' : alg);
    const signed = sign(key, patient, { scheme, holderPublicKey: holder.verifyKey() });
    const opts = { holder: { key: holder, audience: 'https://clinic.example', nonce: 'n-1', time: 1_800_000_000 } };
    const p = Presentation.fromBytes(extract(signed, patient, ['/gender'], opts).toBytes());
    expect(p.holderBound).toBe(true);
    const vk = key.verifyKey();
    const ok = verify(vk, p, { audience: 'https://clinic.example', nonce: 'n-1' });
    expect(ok.valid && ok.holderBound).toBe(true);
    expect(verify(vk, p, { audience: 'https://evil.example', nonce: 'n-1' })).toEqual({
      valid: false,
      reason: 'holder',
    });
    expect(verify(vk, p, { audience: 'https://clinic.example', nonce: 'n-2' })).toEqual({
      valid: false,
      reason: 'holder',
    });
    expect(verify(vk, p)).toEqual({ valid: false, reason: 'holder' });
    expect(
      verify(vk, p, { audience: 'https://clinic.example', nonce: 'n-1', maxAgeSeconds: 60, now: 1_800_000_030 }).valid,
    ).toBe(true);
    expect(
      verify(vk, p, { audience: 'https://clinic.example', nonce: 'n-1', maxAgeSeconds: 60, now: 1_800_000_100 }),
    ).toEqual({ valid: false, reason: 'holder' });
    // No binding at all on a holder-bound record.
    expect(verify(vk, extract(signed, patient, ['/gender']), { audience: 'a', nonce: 'b' }).valid).toBe(false);
    // Another holder cannot bind.
    const thief = SigningKey.generate('ed25519');
    expectCode(
      () => extract(signed, patient, ['/gender'], { holder: { ...opts.holder, key: thief } }),
      InvalidArgumentError,
      /not the holder key/,
    );
    // A verifier asking for a binding on an unbound record gets valid: false.
    const unbound = extract(sign(key, patient, { scheme }), patient, ['/gender']);
    expect(verify(vk, unbound, { audience: 'a', nonce: 'b' })).toEqual({ valid: false, reason: 'holder' });
  });
});

describe('rules', () => {
  it('canonicalizes: order, duplicates and JSON Pointer vs arrays give one digest', () => {
    const a = RuleSet.from({ mandatory: ['/b', '/a', '/a'], groups: [['/x', '/y']] });
    const b = RuleSet.from({ groups: [[['y'], ['x']]], mandatory: [['a'], ['b']] });
    expect(a.toBytes()).toEqual(b.toBytes());
    expect(a.digest).toEqual(b.digest);
    expect(RuleSet.fromBytes(a.toBytes()).digest).toEqual(a.digest);
    expect(RuleSet.from({ id: 'x' }).digest).not.toEqual(RuleSet.from({ id: 'y' }).digest);
    expect(new TextDecoder().decode(RuleSet.from({ never: ['/a~1b/0', ['c', null]] }).toBytes())).toBe(
      '{"forbidden":[],"groups":[],"mandatory":[],"never":[["a/b",0],["c",null]],"requires":[],"thresholds":[],"v":1}',
    );
  });

  it('rejects malformed rules with InvalidArgumentError naming the member', () => {
    const bad: [unknown, RegExp][] = [
      [{ mandatory: 'a' }, /rules.mandatory/],
      [{ never: ['no-slash'] }, /rules.never\[0\]/],
      [{ never: [[1.5]] }, /segment 0/],
      [{ forbidden: [['/a']] }, /at least two/],
      [{ thresholds: [{ of: ['/a'], atLeast: 2 }] }, /atLeast/],
      [{ requires: [{ if: '/a', needs: [] }] }, /needs/],
      [{ extra: 1 }, /unknown member/],
      [{ never: ['/~2'] }, /escape/],
      [null, /rules/],
    ];
    for (const [r, m] of bad) expectCode(() => RuleSet.from(r as ExtractionRules), InvalidArgumentError, m);
  });

  it('rejects non-canonical or invalid rule bytes', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expectCode(() => RuleSet.fromBytes(enc('{"v":1}')), InvalidEncodingError, /canonical/);
    expectCode(() => RuleSet.fromBytes(enc('{"never":[["a"],["a"]],"v":1}')), InvalidEncodingError);
    expectCode(() => RuleSet.fromBytes(enc('[')), InvalidEncodingError);
    expectCode(() => RuleSet.fromBytes(enc('{"v":2}')), InvalidEncodingError);
  });

  it('enforces thresholds, forbidden combinations and wildcards', () => {
    const key = SigningKey.generate();
    const record = {
      a: 1,
      b: 2,
      c: 3,
      list: [
        { secret: 's1', ok: 1 },
        { secret: 's2', ok: 2 },
      ],
    };
    const signed = sign(key, record, {
      rules: {
        thresholds: [{ of: ['/a', '/b', '/c'], atLeast: 1, atMost: 2 }],
        forbidden: [['/a', '/c']],
        never: [['list', null, 'secret']],
      },
    });
    const ok = (sel: string[]) => verify(key.verifyKey(), extract(signed, record, sel)).valid;
    expect(ok(['/a', '/b'])).toBe(true);
    expect(ok(['/b', '/list/1/ok'])).toBe(true);
    expect(() => ok([])).toThrow(/threshold\(1\.\.2 of \/a, \/b, \/c\)|between 1 and 2/);
    expect(() => ok(['/a', '/b', '/c'])).toThrow(ExtractionNotAllowedError);
    expect(() => ok(['/a', '/c'])).toThrow(/may not be disclosed together/);
    try {
      ok(['/b', '/list/1']);
      expect.unreachable();
    } catch (e) {
      expect((e as ExtractionNotAllowedError).rule).toBe('never(/list/*/secret)');
    }
  });

  it('treats mandatory paths absent from a record as satisfied (rules shared per record type)', () => {
    const key = SigningKey.generate();
    const rules = { id: 'obs', mandatory: ['/resourceType', '/status'] };
    const rec = { resourceType: 'Observation', note: 'x' };
    const r = verify(key.verifyKey(), extract(sign(key, rec, { rules }), rec, ['/resourceType']));
    expect(r.valid).toBe(true);
    expect(verify(key.verifyKey(), extract(sign(key, rec, { rules }), rec, ['/resourceType']), { rules }).valid).toBe(
      true,
    );
    const pinned = verify(key.verifyKey(), extract(sign(key, rec, { rules }), rec, ['/resourceType']), {
      rules: { id: 'other' },
    });
    expect(pinned).toEqual({ valid: false, reason: 'rules' });
  });
});

describe('records, selections and keys', () => {
  const key = SigningKey.generate();

  it('rejects non-JSON records with InvalidArgumentError naming the path', () => {
    const bad: [unknown, RegExp][] = [
      [{ a: { b: Number.NaN } }, /\/a\/b/],
      [{ a: [1, undefined] }, /\/a\/1/],
      [{ d: new Date(0) }, /Date/],
      [{ s: 'x\ud800' }, /surrogate/],
      [{ ['\udc00']: 1 }, /surrogate/],
      [{ f: () => 1 }, /function/],
      [{ n: 10n }, /bigint/],
    ];
    for (const [r, m] of bad) expectCode(() => sign(key, r as JsonValue), InvalidArgumentError, m);
    let deep: JsonValue = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    expectCode(() => sign(key, deep), InvalidArgumentError, /deeper/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectCode(() => sign(key, cyclic as JsonValue), InvalidArgumentError);
  });

  it('checks arguments and options', () => {
    expectCode(() => sign({} as SigningKey, {}), InvalidArgumentError, /signingKey/);
    expectCode(() => sign(key, {}, { scheme: 'rsa-prod' as SchemeName }), InvalidArgumentError, /scheme/);
    expectCode(() => sign(key, {}, { scheme: 'aggregate' }), InvalidArgumentError, /bls-bn254 or bls12-381/);
    expectCode(() => sign(SigningKey.generate(BLS), {}), InvalidArgumentError, /aggregate/);
    expectCode(() => sign(key, {}, { bucket: 0 }), InvalidArgumentError, /bucket/);
    expectCode(() => sign(key, {}, { units: ['x'] }), InvalidArgumentError, /units\[0\]/);
    const signed = sign(key, { a: 1, b: [1, 2] });
    expectCode(() => extract(signed, { a: 2, b: [1, 2] }, []), InvalidArgumentError, /does not match/);
    expectCode(() => extract(signed, { a: 1, b: [1, 2], c: 3 }, []), InvalidArgumentError, /does not match/);
    expectCode(() => extract(signed, { a: 1, b: [1, 2] }, ['/zz']), InvalidArgumentError, /not in the record/);
    expectCode(() => extract(signed, { a: 1, b: [1, 2] }, ['a.b' as string]), InvalidArgumentError, /selection\[0\]/);
    expectCode(() => extract(signed, { a: 1, b: [1, 2] }, 'a' as never), InvalidArgumentError, /selection/);
    expectCode(() => verify(key.verifyKey(), 42 as never), InvalidArgumentError, /presentation/);
    expectCode(() => verify({} as VerifyKey, new Uint8Array(3)), InvalidArgumentError, /verifyKey/);
  });

  it('resolves JSON Pointers against the record (numeric object keys stay keys)', () => {
    const rec = { '0': 'zero', arr: ['x', 'y'], 'a/b': { '~': true } };
    const signed = sign(key, rec);
    const r = verify(key.verifyKey(), extract(signed, rec, ['/0', '/arr/1', '/a~1b/~0']));
    expect(r.valid && r.disclosed).toEqual({ '0': 'zero', arr: ['y'], 'a/b': { '~': true } });
    expect(r.valid && r.claims.map((c) => c.path)).toEqual([['0'], ['a/b', '~'], ['arr', 1]]);
  });

  it('signs primitives, empty containers and scalar roots', () => {
    for (const rec of [{}, [], 'text', 0, null, { e: {}, f: [[]] }] as JsonValue[]) {
      const signed = sign(key, rec);
      const r = verify(key.verifyKey(), extract(signed, rec, [[]]));
      expect(r.valid && r.disclosed).toEqual(rec);
    }
  });

  it('round-trips keys of every algorithm and rejects bad key bytes', () => {
    for (const alg of ['ed25519', 'p256', 'secp256k1', BLS] as const) {
      const sk = SigningKey.generate(alg);
      const sk2 = SigningKey.fromBytes(sk.toBytes());
      expect(sk2.verifyKey().equals(sk.verifyKey())).toBe(true);
      const vk = VerifyKey.fromBytes(sk.verifyKey().toBytes());
      expect(vk.algorithm).toBe(alg);
      const b = vk.toBytes();
      expectCode(() => VerifyKey.fromBytes(b.subarray(0, b.length - 1)), InvalidEncodingError);
      const broken = b.slice();
      if (alg === BLS) broken.fill(0xff, 3);
      else broken[3] = 0x05; // not a SEC1 prefix / for Ed25519: still a point, checked below
      if (alg !== 'ed25519') expectCode(() => VerifyKey.fromBytes(broken), InvalidEncodingError);
    }
    expectCode(() => SigningKey.fromBytes(new Uint8Array(35)), InvalidEncodingError);
    expectCode(() => VerifyKey.fromBytes(Uint8Array.of(1, 0x11, 9, 1)), InvalidEncodingError, /algorithm/);
    expectCode(() => SigningKey.generate('rsa' as 'p256'), InvalidArgumentError, /algorithm/);
    expectCode(() => VerifyKey.fromBytes('x' as never), InvalidArgumentError, /bytes/);
    // The Ed25519 identity point (small order) is refused as a public key.
    const id = new Uint8Array(32);
    id[0] = 1;
    expectCode(() => VerifyKey.fromBytes(Uint8Array.of(1, 0x11, 1, ...id)), InvalidEncodingError);
  });

  it('pads with decoys and keeps shuffled positions', () => {
    const rec = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, i]));
    const signed = sign(key, rec, { bucket: 32 });
    expect(signed.count).toBe(32);
    const r = verify(key.verifyKey(), extract(signed, rec, ['/f3', '/f7']));
    expect(r.valid && r.disclosed).toEqual({ f3: 3, f7: 7 });
  });
});

describe('encodings', () => {
  const key = SigningKey.generate();
  const rec = { a: 1, b: 'two' };
  const signed = sign(key, rec);
  const p = extract(signed, rec, ['/a']);

  it('rejects wrong magic, type, version, typ and oversized counts', () => {
    const b = p.toBytes();
    const patch = (i: number, v: number) => {
      const c = b.slice();
      c[i] = v;
      return c;
    };
    expectCode(() => Presentation.fromBytes(patch(0, 0xcf)), InvalidEncodingError, /not a presentation/);
    expectCode(() => Presentation.fromBytes(patch(1, 0x01)), InvalidEncodingError, /not a presentation/);
    expectCode(() => Presentation.fromBytes(patch(2, 2)), InvalidEncodingError, /unknown version/);
    expectCode(() => SignedRecord.fromBytes(b), InvalidEncodingError, /not a signed record/);
    expectCode(() => Presentation.fromBytes(signed.toBytes()), InvalidEncodingError);
    // Header version (first byte after the 3-byte prefix and 4-byte header length).
    expectCode(() => Presentation.fromBytes(patch(7, 9)), InvalidEncodingError, /header: unknown version/);
    // Header count (offset 7 + 1+1+1+1 + 16) set to 2^24.
    expectCode(() => Presentation.fromBytes(patch(27, 1)), InvalidEncodingError, /count out of range/);
    const j = p.toJSON();
    expectCode(() => Presentation.fromJSON({ ...j, typ: 'bpds-ces-signed' }), InvalidEncodingError, /typ/);
    expectCode(() => Presentation.fromJSON({ ...j, v: 2 } as unknown as typeof j), InvalidEncodingError, /version/);
    expectCode(() => Presentation.fromJSON({ ...j, data: `${j.data}=` }), InvalidEncodingError);
    expectCode(
      () => Presentation.fromJSON('{"typ":"bpds-ces-presentation","v":1,"v":1,"data":""}'),
      InvalidEncodingError,
    );
    expectCode(() => SignedRecord.fromJSON(JSON.stringify(j)), InvalidEncodingError, /typ/);
    expect(Presentation.fromJSON(JSON.stringify(j)).toBytes()).toEqual(b);
  });

  it('never exposes salts or secrets through JSON of keys', () => {
    expect(() => JSON.stringify(key)).toThrow(/no JSON form/);
    expect(JSON.parse(JSON.stringify(key.verifyKey()))).toEqual({
      typ: 'bpds-ces-verify-key',
      v: 1,
      data: toBase64url(key.verifyKey().toBytes()),
    });
  });
});

describe('importing existing keys', () => {
  it('imports raw P-256 / secp256k1 / Ed25519 keys and verifies with the raw public key', async () => {
    const { p256 } = await import('@noble/curves/nist.js');
    const { secp256k1 } = await import('@noble/curves/secp256k1.js');
    const { ed25519 } = await import('@noble/curves/ed25519.js');
    const rec = { resourceType: 'Patient', gender: 'other' };
    for (const [alg, curve] of [
      ['p256', p256],
      ['secp256k1', secp256k1],
    ] as const) {
      const { secretKey, publicKey } = curve.keygen();
      const sk = SigningKey.fromRaw(alg, secretKey);
      const vkCompressed = VerifyKey.fromRaw(alg, publicKey);
      const vkUncompressed = VerifyKey.fromRaw(alg, curve.getPublicKey(secretKey, false));
      expect(vkUncompressed.equals(vkCompressed)).toBe(true);
      expect(sk.verifyKey().equals(vkCompressed)).toBe(true);
      expect(vkCompressed.toRaw()).toEqual(publicKey);
      const p = extract(sign(sk, rec), rec, ['/gender']);
      expect(verify(vkUncompressed, p).valid).toBe(true);
      expectCode(() => VerifyKey.fromRaw(alg, new Uint8Array(65).fill(4)), InvalidEncodingError);
    }
    const seed = ed25519.utils.randomSecretKey();
    const sk = SigningKey.fromRaw('ed25519', seed);
    expect(sk.verifyKey().toRaw()).toEqual(ed25519.getPublicKey(seed));
    expectCode(() => SigningKey.fromRaw('ed25519', new Uint8Array(31)), InvalidEncodingError);
    expectCode(() => SigningKey.fromRaw('p256', new Uint8Array(32)), InvalidEncodingError);
    expectCode(() => SigningKey.fromRaw('rsa' as 'p256', seed), InvalidArgumentError, /algorithm/);
  });
});
