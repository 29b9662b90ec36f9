// The schemes' operation-count tables (used by the benchmark's "limit" column) against what
// each algorithm really does, measured by the pairing layer's counters (src/pairing/counters.ts):
// an independent oracle, not the same literals restated.
import { beforeAll, describe, expect, it } from 'vitest';
import { keyLabels, preparePolicy, selectRows } from '../src/cpabe/internal/policy-bridge.js';
import { coreByName } from '../src/cpabe/schemes/index.js';
import { countOps } from '../src/pairing/counters.js';
import * as P from '../src/pairing/index.js';
import { reconstructionCoefficients } from '../src/policy/index.js';

beforeAll(() => P.init());

const N = 10;
let fresh = 0;
/** Attribute names never used before in this process, so no hash cache holds them. */
const names = (n: number) => {
  fresh++;
  return Array.from({ length: n }, (_, i) => `kat${fresh}x${i}`);
};
/** Drop zero entries (the tables omit operations an algorithm does not perform). */
const nz = (o: object | undefined) => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== 0));

describe.each(['waters11', 'bsw07'] as const)('%s: counted operations equal the counts table', (name) => {
  const core = coreByName(name)!;
  it(`keygen, encapsulate, decapsulate and the CCA check of an AND of ${N} attributes`, () => {
    const { pk, mk } = core.setup(P.frRandom, {});
    const attrs = names(N);
    const keygen = countOps(() => core.keygen(pk, mk, keyLabels(attrs), P.frRandom));
    expect(keygen.counts).toEqual(nz(core.counts.keygen(N)));

    const policy = preparePolicy(attrs.join(' and '), 'policy');
    const cols = policy.lsss.matrix[0]!.length;
    // Encapsulation under fresh attribute names: nothing cached from keygen.
    const other = preparePolicy(names(N).join(' and '), 'policy');
    const enc = countOps(() => core.encapsulate(pk, other.lsss, P.frRandom));
    expect(enc.counts).toEqual(nz(core.counts.encapsulate(N, other.lsss.matrix[0]!.length)));

    // Decapsulation priced for general coefficients: N rows of an N-of-(N+2) gate chosen so that
    // no reconstruction coefficient is +-1 (rows with +-1 cost point additions only).
    const wide = [...attrs, ...names(2)];
    const wideSk = core.keygen(pk, mk, keyLabels(wide), P.frRandom);
    const gate = preparePolicy(`${N} of (${wide.join(', ')})`, 'policy');
    const { ct } = core.encapsulate(pk, gate.lsss, P.frRandom);
    let pick: { rows: number[]; coeffs: bigint[] } | undefined;
    for (let skip1 = 0; skip1 < N + 2 && pick === undefined; skip1++) {
      for (let skip2 = skip1 + 1; skip2 < N + 2 && pick === undefined; skip2++) {
        const rows = [...Array(N + 2).keys()].filter((i) => i !== skip1 && i !== skip2);
        const coeffs = reconstructionCoefficients(gate.lsss, rows, P.BN254_R);
        if (coeffs.every((c) => c !== 1n && c !== P.BN254_R - 1n && c !== 0n)) pick = { rows, coeffs };
      }
    }
    expect(pick).toBeDefined();
    const dec = countOps(() => core.decapsulate(pk, wideSk, ct, gate.lsss, pick!.rows, pick!.coeffs));
    expect(dec.counts).toEqual(nz(core.counts.decapsulate(N)));
    const sk = keygen.result;
    // An AND's rows (coefficients 1) cost no scalar multiplication at all.
    const andCt = core.encapsulate(pk, policy.lsss, P.frRandom).ct;
    const all = selectRows(policy, attrs)!;
    const andDec = countOps(() => core.decapsulate(pk, sk, andCt, policy.lsss, all.rows, all.coeffs));
    expect(andDec.counts.g1Mul ?? 0).toBe(0);
    expect(andDec.counts.millerPairs).toBe(nz(core.counts.decapsulate(N)).millerPairs);

    // The CCA check replays a deterministic stream; count it under fresh names too.
    const third = preparePolicy(names(N).join(' and '), 'policy');
    const stream = () => {
      let i = 0;
      return () => P.frFrom(1000 + i++);
    };
    const ct3 = core.encapsulate(pk, third.lsss, stream()).ct;
    // Hashes of `third` are now cached: measure the check and add back the hashes the table
    // prices for a cold cache.
    const check = countOps(() => core.checkEncapsulation(pk, third.lsss, ct3, stream()));
    expect(check.result).toBe(true);
    const table = nz(core.counts.checkEncapsulation?.(N, cols));
    const measured = { ...check.counts } as Record<string, number>;
    if (table.hashG1 !== undefined) measured.hashG1 = (measured.hashG1 ?? 0) + (table.hashG1 as number);
    expect(measured).toEqual(table);
  });
});

describe('fame: counted operations equal the counts table (hashes cached, as the table states)', () => {
  const core = coreByName('fame')!;
  it(`keygen, encapsulate, decapsulate and the CCA check of an AND of ${N} attributes`, () => {
    const { pk, mk } = core.setup(P.frRandom, {});
    const attrs = names(N);
    const labels = keyLabels(attrs);
    core.keygen(pk, mk, labels, P.frRandom); // warm the attribute-hash cache
    const keygen = countOps(() => core.keygen(pk, mk, labels, P.frRandom));
    expect(keygen.counts).toEqual(nz(core.counts.keygen(N)));
    const policy = preparePolicy(attrs.join(' and '), 'policy');
    const cols = policy.lsss.matrix[0]!.length;
    core.encapsulate(pk, policy.lsss, P.frRandom); // warm the column-hash cache
    const enc = countOps(() => core.encapsulate(pk, policy.lsss, P.frRandom));
    expect(enc.counts).toEqual(nz(core.counts.encapsulate(N, cols)));
    const sel = selectRows(policy, attrs)!;
    const dec = countOps(() => core.decapsulate(pk, keygen.result, enc.result.ct, policy.lsss, sel.rows, sel.coeffs));
    expect(dec.counts).toEqual(nz(core.counts.decapsulate(N)));
    let i = 0;
    const ct = core.encapsulate(pk, policy.lsss, () => P.frFrom(7 + i++)).ct;
    let j = 0;
    const check = countOps(() => core.checkEncapsulation(pk, policy.lsss, ct, () => P.frFrom(7 + j++)));
    expect(check.result).toBe(true);
    expect(check.counts).toEqual(nz(core.counts.checkEncapsulation?.(N, cols)));
  });
});

describe('countOps', () => {
  it('counts nothing when off, and exactly the operations inside', () => {
    const g = P.g1Generator();
    const s = P.frFrom(3);
    P.g1Mul(g, s); // outside: not counted anywhere
    const { counts, result: inner } = countOps(() => {
      P.g1Mul(g, s);
      P.g2Mul(P.g2Generator(), s);
      P.g1Msm([g, g, g], [s, s, s]);
      P.multiPairing([g, g], [P.g2Generator(), P.g2Generator()]);
      P.pair(g, P.g2Generator());
      P.hashToG1('bpds/v1/test', new Uint8Array(1));
      P.g1FromBytes(P.g1ToBytes(g));
      return countOps(() => P.gtPow(P.pair(g, P.g2Generator()), s)).counts;
    });
    expect(counts).toEqual({
      g1Mul: 1,
      g2Mul: 1,
      g1MsmPoints: 3,
      millerPairs: 4, // 2 in the multi-pairing, 1 in pair, 1 in the nested pair
      finalExp: 3,
      hashG1: 1,
      g1Decode: 1,
      gtPow: 1,
    });
    // The nested call reports its own operations (and they count into the outer call too).
    expect(inner).toEqual({ millerPairs: 1, finalExp: 1, gtPow: 1 });
  });
});
