// RFC 9380 hash-to-curve on BLS12-381: the suites BLS12381G1_XMD:SHA-256_SSWU_RO_ and
// BLS12381G2_XMD:SHA-256_SSWU_RO_ against the RFC's Appendix J vectors (test/vectors/rfc9380/,
// provenance in its README), through the same code path bpds's hashToG1/hashToG2 use.
import { readFileSync } from 'node:fs';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { beforeAll, describe, expect, it } from 'vitest';
import * as P from '../../src/pairing/index.js';

interface Vector {
  msg: string;
  'P.x': string | [string, string];
  'P.y': string | [string, string];
}
interface Suite {
  suite: string;
  dst: string;
  vectors: Vector[];
}
const load = (f: string): Suite =>
  JSON.parse(readFileSync(new URL(`../vectors/rfc9380/${f}`, import.meta.url), 'utf8')) as Suite;
const G1 = load('BLS12381G1_XMD-SHA-256_SSWU_RO_.json');
const G2 = load('BLS12381G2_XMD-SHA-256_SSWU_RO_.json');
const te = new TextEncoder();

/** Affine coordinates from mcl's `getStr(16)`: "1 x y" (G1) or "1 x0 x1 y0 y1" (G2). */
function affine(p: unknown): bigint[] {
  const s = (p as { getStr(base: number): string }).getStr(16).split(' ');
  expect(s[0]).toBe('1');
  return s.slice(1).map((h) => BigInt(`0x${h}`));
}
const big = (h: string) => BigInt(`0x${h}`);

beforeAll(() => P.init({ curve: 'bls12-381' }));

describe('RFC 9380 Appendix J vectors', () => {
  it('the data files hold the suites bpds uses, five vectors each', () => {
    expect(G1.suite).toBe(P.RFC9380_SUITE_G1);
    expect(G2.suite).toBe(P.RFC9380_SUITE_G2);
    expect(G1.vectors.map((v) => v.msg.slice(0, 4))).toEqual(['', 'abc', 'abcd', 'q128', 'a512']);
    expect(G2.vectors).toHaveLength(5);
  });

  it.each(G1.vectors.map((v, i) => [i, v] as const))(`${G1.suite} vector %i`, (_i, v) => {
    const out = P.hashToCurveRfc9380('G1', te.encode(v.msg), te.encode(G1.dst));
    expect(affine(out)).toEqual([big(v['P.x'] as string), big(v['P.y'] as string)]);
  });

  it.each(G2.vectors.map((v, i) => [i, v] as const))(`${G2.suite} vector %i`, (_i, v) => {
    const out = P.hashToCurveRfc9380('G2', te.encode(v.msg), te.encode(G2.dst));
    const [x0, x1] = v['P.x'] as [string, string];
    const [y0, y1] = v['P.y'] as [string, string];
    expect(affine(out)).toEqual([big(x0), big(x1), big(y0), big(y1)]);
  });

  it('a changed message or DST changes the point', () => {
    const a = P.hashToCurveRfc9380('G1', te.encode('abc'), te.encode(G1.dst)) as P.G1;
    const b = P.hashToCurveRfc9380('G1', te.encode('abd'), te.encode(G1.dst)) as P.G1;
    const c = P.hashToCurveRfc9380('G1', te.encode('abc'), te.encode(`${G1.dst}x`)) as P.G1;
    expect(P.g1Eq(a, b)).toBe(false);
    expect(P.g1Eq(a, c)).toBe(false);
  });
});

describe('bpds hashToG1/hashToG2 on BLS12-381 are RFC 9380 with DST = tag || "/" || suite', () => {
  it.each(['', 'abc', 'doctor', 'x'.repeat(1000)])('message %#', (m) => {
    const msg = te.encode(m);
    const g1 = bls12_381.G1.hashToCurve(msg, { DST: `bpds/v1/test/${P.RFC9380_SUITE_G1}` });
    expect(P.g1ToBytes(P.hashToG1('bpds/v1/test', msg))).toEqual(g1.toBytes(true));
    const g2 = bls12_381.G2.hashToCurve(msg, { DST: `bpds/v1/test/${P.RFC9380_SUITE_G2}` });
    expect(P.g2ToBytes(P.hashToG2('bpds/v1/test', msg))).toEqual(g2.toBytes(true));
  });

  it('a large message (heap, not the WebAssembly stack) hashes', () => {
    const msg = new Uint8Array(3 << 20).fill(7);
    const g1 = bls12_381.G1.hashToCurve(msg, { DST: `big/${P.RFC9380_SUITE_G1}` });
    expect(P.g1ToBytes(P.hashToG1('big', msg))).toEqual(g1.toBytes(true));
  });

  it('tags longer than 255 bytes with the suite are refused (RFC 9380 section 5.3.3 is not implemented)', () => {
    expect(() => P.hashToG1('t'.repeat(250), new Uint8Array(1))).toThrow(RangeError);
  });
});
