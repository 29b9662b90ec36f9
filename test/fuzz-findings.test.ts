// Regression tests for what `npm run fuzz` found (SECURITY.md, "How bpds is tested").
import { beforeAll, describe, expect, it } from 'vitest';
import { extract, Presentation, SignedRecord, SigningKey, sign, verify } from '../src/ces/index.js';
import { InvalidEncodingError } from '../src/errors.js';
import { init } from '../src/index.js';
import { MerkleProof, merkleProof, merkleRoot, verifyMerkleProof } from '../src/index-record/index.js';

describe('Merkle proofs bind the tree size the verifier trusts (issue 12, finding 6)', () => {
  const leaves = Array.from({ length: 7 }, (_, i) => new Uint8Array(32).fill(i + 1));
  const root = merkleRoot(leaves);

  it('a proof with only its size changed does not verify against the anchored size', () => {
    const p = merkleProof(leaves, 0);
    expect(verifyMerkleProof(root, leaves[0]!, p, 7)).toBe(true);
    // Index 0's audit path has the same shape in trees of 5 to 8 leaves: the size a proof
    // claims proves nothing, so the verifier must take it from the anchor.
    for (const size of [5, 6, 8]) {
      const forged = new MerkleProof(0, size, p.path);
      expect(verifyMerkleProof(root, leaves[0]!, forged, 7)).toBe(false);
      expect(verifyMerkleProof(root, leaves[0]!, MerkleProof.fromBytes(forged.toBytes()), 7)).toBe(false);
    }
  });

  it('every leaf verifies only with the true size', () => {
    for (let i = 0; i < leaves.length; i++) {
      const p = merkleProof(leaves, i);
      for (let size = 1; size <= 9; size++) expect(verifyMerkleProof(root, leaves[i]!, p, size)).toBe(size === 7);
    }
  });

  it('refuses a size that is not a positive 32-bit integer', () => {
    const p = merkleProof(leaves, 0);
    for (const size of [0, -1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => verifyMerkleProof(root, leaves[0]!, p, size)).toThrow(/size/);
    }
  });
});

describe('CES decoders validate aggregate (BLS) points', () => {
  const record = { resourceType: 'Observation', status: 'final', note: 'x' };
  let key: SigningKey;
  beforeAll(async () => {
    await init();
    key = SigningKey.generate('bls-bn254');
  });
  const bad = new Uint8Array(32).fill(0xff); // not a G1 encoding

  it('Presentation.fromBytes refuses an aggregate signature that is not a G1 point', () => {
    const p = extract(sign(key, record, { scheme: 'aggregate' }), record, ['/status']);
    const bytes = p.toBytes();
    // Layout tail without holder binding: u32(32) ‖ signature ‖ u32(0 hashes) ‖ u8(0).
    const sigAt = bytes.length - 37;
    expect(Array.from(bytes.subarray(sigAt - 4, sigAt))).toEqual([0, 0, 0, 32]);
    expect(verify(key.verifyKey(), bytes).valid).toBe(true);
    const tampered = bytes.slice();
    tampered.set(bad, sigAt);
    expect(() => Presentation.fromBytes(tampered)).toThrow(InvalidEncodingError);
    expect(() => verify(key.verifyKey(), tampered)).toThrow(InvalidEncodingError);
  });

  it('SignedRecord.fromBytes refuses an aggregate share or signature that is not a G1 point', () => {
    const signed = sign(key, record, { scheme: 'aggregate', order: 'record' });
    const bytes = signed.toBytes();
    expect(SignedRecord.fromBytes(bytes).count).toBe(3);
    // The last slot is real: its 32-byte share ends the encoding.
    const share = bytes.slice();
    share.set(bad, bytes.length - 32);
    expect(() => SignedRecord.fromBytes(share)).toThrow(InvalidEncodingError);
  });
});
