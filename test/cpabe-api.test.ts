import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Ciphertext,
  canDecrypt,
  decapsulate,
  decrypt,
  encapsulate,
  encrypt,
  keygen,
  type SchemeName,
  setup,
} from '../src/cpabe/index.js';
import {
  DecryptionError,
  InvalidArgumentError,
  InvalidEncodingError,
  PolicyNotSatisfiedError,
  PolicySyntaxError,
} from '../src/errors.js';
import { init } from '../src/pairing/index.js';
import { parsePolicy, policyLeaves, satisfies } from '../src/policy/index.js';
import { runs } from './helpers.js';
import { referenceSatisfies } from './policy-oracle.js';

beforeAll(() => init());

const SCHEMES: readonly SchemeName[] = ['fame', 'waters11', 'bsw07'];
const te = new TextEncoder();
const MAX_REPEATS = 4;

/** Random policy text: AND/OR/threshold gates over letters and 3-bit numeric comparisons. */
const arbPolicy: fc.Arbitrary<string> = fc.letrec<{ p: string; gate: string }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    fc
      .tuple(fc.constantFrom('<', '<=', '>', '>=', '='), fc.integer({ min: 0, max: 7 }))
      // skip the comparisons that can never hold (`< 0`, `> 7`), which the parser rejects
      .map(([op, v]) => `lvl#u3 ${op} ${op === '<' ? Math.max(v, 1) : op === '>' ? Math.min(v, 6) : v}`),
    tie('gate'),
  ),
  gate: fc.array(tie('p'), { minLength: 2, maxLength: 3 }).chain((cs) =>
    fc.oneof(
      fc.constant(`(${cs.join(' and ')})`),
      fc.constant(`(${cs.join(' or ')})`),
      fc.integer({ min: 1, max: cs.length }).map((k) => `${k} of (${cs.join(', ')})`),
    ),
  ),
})).p;

const arbAttributes = fc
  .tuple(fc.subarray(['a', 'b', 'c', 'd', 'e', 'f']), fc.option(fc.integer({ min: 0, max: 7 })))
  .map(([letters, lvl]) => (lvl === null ? letters : [...letters, `lvl#u3 = ${lvl}`]));

function maxOccurrence(policy: string): number {
  const m = new Map<string, number>();
  for (const l of policyLeaves(parsePolicy(policy))) m.set(l, (m.get(l) ?? 0) + 1);
  return Math.max(...m.values());
}

async function rejectsWith(p: Promise<unknown>, cls: new (...a: never[]) => Error): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(cls);
}

describe.each(SCHEMES)('cpabe API (%s)', (scheme) => {
  const sys = () => setup(scheme === 'fame' ? { scheme, maxRepeats: MAX_REPEATS } : { scheme });

  it('decrypts exactly when the attributes satisfy the policy', async () => {
    const { publicKey, masterKey } = sys();
    let opened = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(arbPolicy, arbAttributes, fc.uint8Array({ maxLength: 64 }), async (policy, attrs, pt) => {
        fc.pre(policyLeaves(parsePolicy(policy)).length <= 30 && maxOccurrence(policy) <= MAX_REPEATS);
        const sk = keygen(masterKey, attrs);
        const ct = await encrypt(publicKey, policy, pt);
        const ok = referenceSatisfies(parsePolicy(policy), attrs);
        expect(canDecrypt(sk, ct)).toBe(ok);
        expect(canDecrypt(sk, policy)).toBe(ok);
        expect(canDecrypt(sk, Ciphertext.fromBytes(ct))).toBe(ok);
        expect(canDecrypt(sk, parsePolicy(policy))).toBe(ok);
        if (ok) {
          expect(await decrypt(sk, ct)).toEqual(pt);
          opened++;
        } else {
          await rejectsWith(decrypt(sk, ct), PolicyNotSatisfiedError);
          refused++;
        }
      }),
      {
        numRuns: runs(14, { heavy: true }),
        // one authorized and one unauthorized case always run, whatever the random sample
        examples: [
          ['(a and lvl#u3 >= 2)', ['a', 'lvl#u3 = 5'], Uint8Array.of(1)],
          ['(a and lvl#u3 >= 2)', ['a', 'lvl#u3 = 1'], Uint8Array.of(2)],
        ],
      },
    );
    // Both directions must actually occur in the sampled cases.
    expect(opened).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('round-trips records of various sizes with associated data', async () => {
    const { publicKey, masterKey } = sys();
    const sk = keygen(masterKey, ['cardiology', 'nurse', 'level#u4 = 3']);
    const policy = 'cardiology and (doctor or nurse) and level#u4 >= 2';
    const ad = te.encode('record-42');
    for (const size of [0, 1, 100_000]) {
      const pt = new Uint8Array(size).map((_, i) => i * 7);
      const ct = await encrypt(publicKey, policy, pt, { associatedData: ad });
      expect(Ciphertext.fromBytes(ct).payloadBytes).toBe(size + 16);
      expect(await decrypt(sk, ct, { associatedData: ad })).toEqual(pt);
      await rejectsWith(decrypt(sk, ct), DecryptionError);
      await rejectsWith(decrypt(sk, ct, { associatedData: te.encode('record-43') }), DecryptionError);
    }
  });

  it('exposes the canonical policy and sizes of a ciphertext', async () => {
    const { publicKey } = sys();
    const ct = Ciphertext.fromBytes(await encrypt(publicKey, 'b and (c or a)', new Uint8Array(3)));
    expect(ct.scheme).toBe(scheme);
    expect(ct.kind).toBe('hybrid');
    expect(ct.policy).toBe('(a or c) and b'); // canonical form
    expect(satisfies(parsePolicy(ct.policy), ['a', 'b'])).toBe(true);
    expect(ct.rows).toBe(3);
    expect(ct.byteLength).toBe(ct.headerBytes + ct.payloadBytes);
  });

  it('CPA KEM: decapsulate recovers the key; unsatisfied keys are refused before pairing', () => {
    const { publicKey, masterKey } = sys();
    const { key, encapsulation } = encapsulate(publicKey, 'a and (b or c)');
    expect(key.length).toBe(32);
    expect(decapsulate(keygen(masterKey, ['a', 'c']), encapsulation)).toEqual(key);
    expect(() => decapsulate(keygen(masterKey, ['b', 'c']), encapsulation)).toThrow(PolicyNotSatisfiedError);
    expect(Ciphertext.fromBytes(encapsulation).kind).toBe('kem');
    expect(() => decapsulate(keygen(masterKey, ['a', 'b']), new Uint8Array(3))).toThrow(InvalidEncodingError);
  });

  it('a ciphertext from one setup does not open under a key from another', async () => {
    const a = sys();
    const b = sys();
    const ct = await encrypt(a.publicKey, 'x and y', te.encode('secret'));
    const other = keygen(b.masterKey, ['x', 'y']);
    expect(canDecrypt(other, ct)).toBe(true); // public check only
    await rejectsWith(decrypt(other, ct), DecryptionError);
  });

  it('rejects not, bad policies and bad arguments with typed errors', async () => {
    const { publicKey, masterKey } = sys();
    await rejectsWith(encrypt(publicKey, 'a and not b', new Uint8Array(1)), PolicySyntaxError);
    await rejectsWith(encrypt(publicKey, 'a and (', new Uint8Array(1)), PolicySyntaxError);
    await rejectsWith(encrypt(publicKey, 'a', 'text' as unknown as Uint8Array), InvalidArgumentError);
    await rejectsWith(encrypt({} as never, 'a', new Uint8Array(1)), InvalidArgumentError);
    expect(() => keygen(masterKey, 'a' as unknown as string[])).toThrow(InvalidArgumentError);
    expect(() => keygen(publicKey as never, ['a'])).toThrow(InvalidArgumentError);
    const sk = keygen(masterKey, ['a']);
    await rejectsWith(decrypt(sk, 'x' as unknown as Uint8Array), InvalidArgumentError);
    expect(() => canDecrypt(sk, 42 as never)).toThrow(InvalidArgumentError);
    expect(canDecrypt(sk, new Uint8Array(10))).toBe(false);
  });
});

describe('cpabe API: schemes and FAME specifics', () => {
  it('setup validates its options', () => {
    expect(() => setup({ scheme: 'rsa' as SchemeName })).toThrow(InvalidArgumentError);
    expect(() => setup({ maxRepeats: 0 })).toThrow(InvalidArgumentError);
    expect(() => setup({ scheme: 'bsw07', maxRepeats: 3 })).toThrow(InvalidArgumentError);
    expect(setup().publicKey.scheme).toBe('fame');
  });

  it('FAME: attributes repeated up to maxRepeats work, more are rejected with PolicySyntaxError', async () => {
    const { publicKey, masterKey } = setup(); // default maxRepeats = 2
    const sk = keygen(masterKey, ['a', 'c', 'age = 40']);
    const pt = te.encode('x');
    expect(await decrypt(sk, await encrypt(publicKey, '(a and b) or (a and c)', pt))).toEqual(pt);
    expect(await decrypt(sk, await encrypt(publicKey, 'age >= 18 and age < 65', pt))).toEqual(pt);
    await rejectsWith(encrypt(publicKey, 'a and (a or b) and (a or c)', pt), PolicySyntaxError);
  });

  it('keygen refuses attributes that would make an undecodable key', () => {
    const { masterKey } = setup();
    expect(() => keygen(masterKey, ['é'.repeat(600)])).toThrow(InvalidArgumentError);
    expect(() => keygen(masterKey, ['level = abc'])).toThrow(InvalidArgumentError);
    expect(() =>
      keygen(
        masterKey,
        Array.from({ length: 4097 }, (_, i) => `a${i}`),
      ),
    ).toThrow(InvalidArgumentError);
    expect(keygen(masterKey, []).attributes).toEqual([]);
  });

  it('a key of one scheme refuses a ciphertext of another with DecryptionError', async () => {
    const fame = setup({ scheme: 'fame' });
    const w11 = setup({ scheme: 'waters11' });
    const ct = await encrypt(w11.publicKey, 'a', te.encode('x'));
    const sk = keygen(fame.masterKey, ['a']);
    expect(canDecrypt(sk, ct)).toBe(false);
    await rejectsWith(decrypt(sk, ct), DecryptionError);
  });
});
