// Smoke run of the fuzz harness (test/fuzz/, `npm run fuzz` for the 100k-input run):
// a few hundred mutated inputs per public decoder, with the same oracles.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, type Corpus } from './fuzz/corpus.js';
import { decoders } from './fuzz/decoders.js';
import { freshSeed } from './fuzz/rng.js';
import { runShard } from './fuzz/shard.js';

const INPUTS = 250;
const seed = process.env.FUZZ_SEED ?? freshSeed();
let corpus: Corpus;

beforeAll(async () => {
  corpus = await buildCorpus();
}, 120_000);

describe(`fuzz smoke (seed ${seed}, ${INPUTS} inputs per decoder)`, () => {
  it('covers every public decoder', () => {
    const names = decoders(corpus).map((d) => d.name);
    for (const n of [
      'cpabe.Ciphertext.fromBytes',
      'cpabe.Ciphertext.fromArmored',
      'cpabe.SecretKey.fromBytes',
      'cpabe.SecretKey.fromArmored',
      'cpabe.PublicKey.fromBytes',
      'cpabe.PublicKey.fromArmored',
      'cpabe.MasterKey.fromBytes',
      'cpabe.MasterKey.fromArmored',
      'ces.Presentation.fromBytes',
      'ces.Presentation.fromJSON',
      'ces.SignedRecord.fromBytes',
      'ces.SignedRecord.fromJSON',
      'ces.RuleSet.fromBytes',
      'ces.SigningKey.fromBytes',
      'ces.SigningKey.fromRaw',
      'ces.VerifyKey.fromBytes',
      'ces.VerifyKey.fromRaw',
      'indexRecord.parseRecord',
      'indexRecord.MerkleProof.fromBytes',
      'indexRecord.getPublicKey',
      'chain.parseTransaction',
      'chain.MemoryLedger.fromJsonLines',
      'policy.parsePolicy',
      'protocol.parseBlobLocator',
    ]) {
      expect(names).toContain(n);
    }
  });

  it('every input gives a result that passes its oracle or a BpdsError, within the CPU limit', async () => {
    const { stats, failures } = await runShard(decoders(corpus), { seed, inputs: INPUTS, shard: 0, shards: 1 });
    expect(failures.map((f) => `${f.decoder} #${f.index} ${f.kind}: ${f.message.split('\n')[0]}`)).toEqual([]);
    for (const s of stats) {
      expect(s.inputs).toBe(INPUTS);
      // Unmutated seeds are accepted; mutations are mostly refused.
      expect(s.accepted).toBeGreaterThan(0);
      expect(Object.values(s.rejected).reduce((a, b) => a + b, 0)).toBeGreaterThan(INPUTS / 4);
    }
  }, 300_000);
});
