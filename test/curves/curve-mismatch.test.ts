// One curve per process: keys, ciphertexts and verify keys made on the other curve are refused
// with CurveMismatchError naming both curves, and init() with the other curve is a typed error.
// Runs in both vitest projects (BN254, and BLS12-381 via test/setup-bls12-381.ts).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SigningKey, VerifyKey } from '../../src/ces/index.js';
import { Ciphertext, encrypt, keygen, MasterKey, PublicKey, SecretKey, setup } from '../../src/cpabe/index.js';
import { CurveMismatchError, InvalidArgumentError, InvalidEncodingError } from '../../src/errors.js';
import * as P from '../../src/pairing/index.js';

beforeAll(() => P.init());

const bytes = (h: unknown) => Uint8Array.from(Buffer.from(h as string, 'hex'));
const otherKat = (scheme: string): Record<string, unknown> => {
  const dir = P.loadedCurve().name === 'bn254' ? 'bls12-381/' : '';
  return JSON.parse(
    readFileSync(new URL(`../vectors/kat/${dir}cpabe-${scheme}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
};
const other = (): P.CurveName => (P.loadedCurve().name === 'bn254' ? 'bls12-381' : 'bn254');

function expectMismatch(f: () => unknown): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CurveMismatchError);
  expect(err).toBeInstanceOf(InvalidEncodingError);
  const e = err as CurveMismatchError;
  expect(e.code).toBe('ERR_INVALID_ENCODING');
  expect([e.loaded, e.encoded]).toEqual([P.loadedCurve().name, other()]);
  expect(e.message).toContain(P.loadedCurve().name);
  expect(e.message).toContain(other());
}

describe('mixing curves', () => {
  it('init with the other curve rejects with InvalidArgumentError naming both', async () => {
    const err = await P.init({ curve: other() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toContain(other());
    expect((err as Error).message).toContain(P.loadedCurve().name);
  });

  it.each(['fame', 'waters11', 'bsw07'])('%s keys and ciphertexts of the other curve: CurveMismatchError', (s) => {
    const kat = otherKat(s);
    expectMismatch(() => PublicKey.fromBytes(bytes(kat.publicKey)));
    expectMismatch(() => MasterKey.fromBytes(bytes(kat.masterKey)));
    expectMismatch(() => SecretKey.fromBytes(bytes(kat.secretKey)));
    expectMismatch(() => Ciphertext.fromBytes(bytes(kat.ciphertext)));
  });

  it('an unknown curve id is an InvalidEncodingError, not a mismatch', () => {
    const pk = bytes(otherKat('fame').publicKey);
    pk[7] = 9;
    let err: unknown;
    try {
      PublicKey.fromBytes(pk);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidEncodingError);
    expect(err).not.toBeInstanceOf(CurveMismatchError);
    expect((err as Error).message).toMatch(/unsupported curve id 9/);
  });

  it('BLS signing keys and verify keys of the other curve are refused', () => {
    const alg = other() === 'bn254' ? 'bls-bn254' : 'bls12-381';
    const mine = P.loadedCurve().name === 'bn254' ? 'bls-bn254' : 'bls12-381';
    expect(() => SigningKey.generate(alg)).toThrow(InvalidArgumentError);
    const vk = SigningKey.generate(mine).verifyKey();
    expect(vk.toRaw().length).toBe(P.G2_BYTES);
    const foreign = new Uint8Array(other() === 'bn254' ? 64 : 96);
    expectMismatch(() => VerifyKey.fromRaw(alg, foreign));
  });

  it.each(['fame', 'waters11', 'bsw07'] as const)(
    '%s objects of the loaded curve expose it as .curve',
    async (scheme) => {
      const { publicKey, masterKey } = setup({ scheme });
      const sk = keygen(masterKey, ['a']);
      const ct = await encrypt(publicKey, 'a or b', new Uint8Array([1]));
      const c = P.loadedCurve().name;
      expect([publicKey.curve, masterKey.curve, sk.curve, Ciphertext.fromBytes(ct).curve]).toEqual([c, c, c, c]);
      expect(PublicKey.fromBytes(publicKey.toBytes()).curve).toBe(c);
      expect(publicKey.toBytes()[7]).toBe(P.loadedCurve().id);
    },
  );
});
