import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ciphertext, decrypt, encrypt, keygen, type SchemeName, setup } from '../src/cpabe/index.js';
import { DecryptionError, InvalidEncodingError, PolicyNotSatisfiedError } from '../src/errors.js';
import { init } from '../src/pairing/index.js';
import { runs } from './helpers.js';

beforeAll(() => init());

const SCHEMES: readonly SchemeName[] = ['fame', 'waters11', 'bsw07'];
const pt = new TextEncoder().encode('patient 17: troponin 0.04 ng/mL');
const ad = new TextEncoder().encode('record-17');

/** Decrypting must fail with one of `allowed`; never return a plaintext, never another error. */
async function expectFailure(
  p: Promise<Uint8Array>,
  allowed: readonly (abstract new (...a: never[]) => Error)[],
): Promise<void> {
  let result: Uint8Array | undefined;
  try {
    result = await p;
  } catch (e) {
    if (!allowed.some((c) => e instanceof c)) throw e;
    return;
  }
  expect.unreachable(`tampered ciphertext decrypted to ${result?.length} bytes`);
}

describe.each(SCHEMES)('tampering (%s)', (scheme) => {
  let ct: Uint8Array;
  let regions: { policyStart: number; abeStart: number; sigmaStart: number; payloadStart: number };
  let sk: ReturnType<typeof keygen>;

  beforeAll(async () => {
    const { publicKey, masterKey } = setup({ scheme });
    sk = keygen(masterKey, ['a', 'b']);
    ct = await encrypt(publicKey, 'a and (b or c)', pt, { associatedData: ad });
    expect(await decrypt(sk, ct, { associatedData: ad })).toEqual(pt);
    const c = Ciphertext.fromBytes(ct);
    const sigmaStart = c.headerBytes - 32;
    regions = { policyStart: 8, abeStart: sigmaStart - c.abeBytes, sigmaStart, payloadStart: c.headerBytes };
  });

  const allowedAt = (pos: number) =>
    pos < regions.abeStart
      ? // a flipped policy byte can still parse as a (different) canonical policy the key does not satisfy
        [DecryptionError, InvalidEncodingError, PolicyNotSatisfiedError]
      : [DecryptionError, InvalidEncodingError];

  it('every byte of the framing and policy text', async () => {
    for (let pos = 0; pos < regions.abeStart; pos++) {
      const bad = ct.slice();
      bad[pos] = (bad[pos] as number) ^ 0x01;
      await expectFailure(decrypt(sk, bad, { associatedData: ad }), allowedAt(pos));
    }
  });

  it('sampled bytes of the ABE part, the masked seed and the payload', async () => {
    const positions = (from: number, to: number, n: number) =>
      Array.from({ length: n }, (_, i) => from + Math.floor(((to - from) * i) / n));
    const sample = [
      ...positions(regions.abeStart, regions.sigmaStart, 16),
      ...positions(regions.sigmaStart, regions.payloadStart, 4),
      ...positions(regions.payloadStart, ct.length, 6),
      ct.length - 1,
    ];
    for (const [i, pos] of sample.entries()) {
      const bad = ct.slice();
      bad[pos] = (bad[pos] as number) ^ (i % 2 === 0 ? 0x01 : 0x80);
      await expectFailure(decrypt(sk, bad, { associatedData: ad }), allowedAt(pos));
    }
  });

  it('random single-byte changes anywhere (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 1 << 30 }), fc.integer({ min: 1, max: 255 }), async (p, x) => {
        const pos = p % ct.length;
        const bad = ct.slice();
        bad[pos] = (bad[pos] as number) ^ x;
        await expectFailure(decrypt(sk, bad, { associatedData: ad }), allowedAt(pos));
      }),
      { numRuns: runs(20, { heavy: true }) },
    );
  });

  it('truncation and extension', async () => {
    const cuts = [0, 1, 4, 8, regions.abeStart, regions.abeStart + 1, regions.sigmaStart, regions.payloadStart];
    for (const n of [...cuts, regions.payloadStart + 15, ct.length - 1]) {
      await expectFailure(decrypt(sk, ct.subarray(0, n), { associatedData: ad }), [
        DecryptionError,
        InvalidEncodingError,
      ]);
    }
    const longer = new Uint8Array(ct.length + 1);
    longer.set(ct);
    await expectFailure(decrypt(sk, longer, { associatedData: ad }), [DecryptionError, InvalidEncodingError]);
  });
});
