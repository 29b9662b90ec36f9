/**
 * FAME's CCA check on dense (threshold) rows: the check folds the LSSS matrix into its
 * scalars instead of rebuilding each row's bases (issue 12, finding 2). These tests make
 * sure the folded check still refuses any wrong row component, for every scheme, under
 * policies mixing threshold (Vandermonde) rows and AND/OR rows.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ciphertext, decrypt, encrypt, keygen, type SchemeName, setup } from '../src/cpabe/index.js';
import { DecryptionError } from '../src/errors.js';
import { CURVES, init } from '../src/pairing/index.js';
import { runs, testCurve } from './helpers.js';

beforeAll(() => init());

const pt = new TextEncoder().encode('dense');
/** Bytes per ciphertext row: FAME 3 G1; Waters11 G1 + G2; BSW07 G2 + G1. */
/** Bytes per ciphertext row: FAME 3 G1, Waters11 and BSW07 one G1 and one G2 (curve under test). */
const { g1Bytes: G1B, g2Bytes: G2B } = CURVES[testCurve()];
const ROW_BYTES: Record<SchemeName, number> = { fame: 3 * G1B, waters11: G1B + G2B, bsw07: G1B + G2B };
const POLICY = 'victim or (3 of (a, b, c, d, e) and (f or g)) or 2 of (h, i and j, k)';
const ROWS = 11;

describe.each(['fame', 'waters11', 'bsw07'] as const)('dense rows under the CCA check (%s)', (scheme) => {
  let ct: Uint8Array;
  let victim: ReturnType<typeof keygen>;
  let holder: ReturnType<typeof keygen>;
  let rowsStart: number;

  beforeAll(async () => {
    const { publicKey, masterKey } = setup({ scheme });
    victim = keygen(masterKey, ['victim']);
    holder = keygen(masterKey, ['a', 'c', 'e', 'g']);
    ct = await encrypt(publicKey, POLICY, pt);
    rowsStart = Ciphertext.fromBytes(ct).headerBytes - 32 - ROWS * ROW_BYTES[scheme];
  });

  it('decrypts with a key using the threshold rows and with a key using none of them', async () => {
    expect(await decrypt(holder, ct)).toEqual(pt);
    expect(await decrypt(victim, ct)).toEqual(pt);
  });

  it('refuses a ciphertext with two rows swapped or one row copied over another', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: ROWS - 1 }),
        fc.integer({ min: 0, max: ROWS - 1 }),
        fc.boolean(),
        async (i, j, swap) => {
          fc.pre(i !== j);
          const bad = ct.slice();
          const w = ROW_BYTES[scheme];
          const ri = ct.subarray(rowsStart + i * w, rowsStart + (i + 1) * w);
          const rj = ct.subarray(rowsStart + j * w, rowsStart + (j + 1) * w);
          bad.set(rj, rowsStart + i * w);
          if (swap) bad.set(ri, rowsStart + j * w);
          for (const key of [victim, holder]) {
            await expect(decrypt(key, bad)).rejects.toBeInstanceOf(DecryptionError);
          }
        },
      ),
      { numRuns: runs(12, { heavy: true }) },
    );
  }, 60_000);
});
