/**
 * The LSSS size bound (issue 12, finding 2: attacker-controlled work before failure): a
 * policy whose matrix would have more than POLICY_LIMITS.maxLsssEntries non-zero entries is
 * refused before anything is built, by `toLsss`, by encryption (PolicySyntaxError) and by the
 * ciphertext decoder (InvalidEncodingError), so a header cannot make a decryptor build and
 * fold a million-entry Vandermonde matrix.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Ciphertext, encrypt, setup } from '../src/cpabe/index.js';
import { InvalidEncodingError, PolicySyntaxError } from '../src/errors.js';
import { BN254_R, init } from '../src/pairing/index.js';
import { formatPolicy, POLICY_LIMITS, parsePolicy, toLsss } from '../src/policy/index.js';

beforeAll(() => init());

const leaves = (n: number, p = 'x') => Array.from({ length: n }, (_, i) => `${p}${i}`).join(', ');
const nonZero = (m: readonly (readonly bigint[])[]) => m.reduce((a, row) => a + row.filter((x) => x !== 0n).length, 0);

describe('LSSS size bound', () => {
  it('is 65,536 non-zero entries, counted exactly: 128 of 512 fits, 128 of 513 does not', () => {
    expect(POLICY_LIMITS.maxLsssEntries).toBe(65_536);
    const fits = toLsss(parsePolicy(`128 of (${leaves(512)})`), BN254_R);
    expect(nonZero(fits.matrix)).toBe(65_536);
    let error: unknown;
    try {
      toLsss(parsePolicy(`128 of (${leaves(513)})`), BN254_R);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicySyntaxError);
    expect((error as Error).message).toMatch(/65664 non-zero entries \(limit 65536/);
  });

  it('counts AND chains and inherited vectors like the matrix has them', () => {
    for (const text of [
      `victim or 255 of (${leaves(256)})`,
      `(a and b and c) and 3 of (${leaves(9)}) or (d and (e or f and g))`,
      `((a and b) and c) and (p or q or r) and 2 of (s, t and u, v)`,
    ]) {
      const lsss = toLsss(parsePolicy(text), BN254_R);
      expect(nonZero(lsss.matrix)).toBeLessThanOrEqual(POLICY_LIMITS.maxLsssEntries);
    }
    // Just over, through inheritance: an AND-chain head shares its vector with an OR of 256 leaves.
    const over = `(${leaves(256, 'o')} or 255 of (${leaves(256)})) and z`;
    // 256 OR leaves x 2 entries + 256 threshold rows x 256 entries + 1 = 66,049
    expect(() => toLsss(parsePolicy(over.replace(/, o/g, ' or o')), BN254_R)).toThrow(PolicySyntaxError);
  });

  it('encrypt refuses an oversized policy, and the decoder refuses it in a header before any point', async () => {
    const { publicKey } = setup();
    const big = formatPolicy(parsePolicy(`128 of (${leaves(513)})`));
    await expect(encrypt(publicKey, big, Uint8Array.of(1))).rejects.toBeInstanceOf(PolicySyntaxError);
    // Splice the oversized policy into a real ciphertext header: magic, kind, version, scheme, curve, then u32 length + text.
    const ct = await encrypt(publicKey, 'a', Uint8Array.of(1));
    const small = Ciphertext.fromBytes(ct).policy;
    const at = ct.indexOf(small.charCodeAt(0), 4) - 4;
    expect(new DataView(ct.buffer, ct.byteOffset + at, 4).getUint32(0)).toBe(small.length);
    const text = new TextEncoder().encode(big);
    const spliced = new Uint8Array(ct.length - small.length + text.length);
    spliced.set(ct.subarray(0, at));
    new DataView(spliced.buffer).setUint32(at, text.length);
    spliced.set(text, at + 4);
    spliced.set(ct.subarray(at + 4 + small.length), at + 4 + text.length);
    expect(() => Ciphertext.fromBytes(spliced)).toThrow(InvalidEncodingError);
  });
});
