// Issue 12, finding 6: Merkle inclusion proofs bind the tree size. The verifier takes the size
// from the trusted anchor (`verifyMerkleProof(root, digest, proof, size)`, size = the anchor's
// `count`), so a proof with only its `size` changed is refused. Exhaustive over small trees.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.js';
import { MerkleProof, merkleProof, merkleRoot, verifyMerkleProof } from '../src/index-record/index.js';
import { runs } from './helpers.js';

const leaf = (i: number) => Uint8Array.from({ length: 32 }, (_, j) => (i * 31 + j * 7) & 0xff);

describe('verifyMerkleProof binds the tree size', () => {
  it('a proof with only its size changed never verifies, for every leaf of trees of 1..40 leaves', () => {
    let accepted = 0;
    for (let n = 1; n <= 40; n++) {
      const ds = Array.from({ length: n }, (_, i) => leaf(i));
      const root = merkleRoot(ds);
      for (let i = 0; i < n; i++) {
        const p = merkleProof(ds, i);
        expect(verifyMerkleProof(root, ds[i]!, p, n)).toBe(true);
        accepted++;
        for (let m = i + 1; m <= n + 40; m++) {
          if (m === n) continue;
          const forged = MerkleProof.fromBytes(new MerkleProof(i, m, p.path).toBytes());
          expect(verifyMerkleProof(root, ds[i]!, forged, n), `n=${n} i=${i} size=${m}`).toBe(false);
        }
      }
    }
    expect(accepted).toBe((40 * 41) / 2);
  });

  it('random trees: a size-only change is refused against the anchored size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.integer({ min: 1, max: 0xffffffff }), (n, k, m) => {
        const ds = Array.from({ length: n }, (_, i) => leaf(i + n));
        const i = k % n;
        const p = merkleProof(ds, i);
        const root = merkleRoot(ds);
        expect(verifyMerkleProof(root, ds[i]!, p, n)).toBe(true);
        if (m !== n && i < m) expect(verifyMerkleProof(root, ds[i]!, new MerkleProof(i, m, p.path), n)).toBe(false);
        if (m !== n) expect(verifyMerkleProof(root, ds[i]!, p, m)).toBe(false);
      }),
      { numRuns: runs(200) },
    );
  });

  it('the size is required: a missing or bad size is an InvalidArgumentError', () => {
    const ds = [leaf(1), leaf(2), leaf(3)];
    const p = merkleProof(ds, 2);
    const root = merkleRoot(ds);
    for (const bad of [undefined, 0, 1.5, -3, 2 ** 32]) {
      expect(() => verifyMerkleProof(root, ds[2]!, p, bad as never)).toThrow(InvalidArgumentError);
    }
  });
});
