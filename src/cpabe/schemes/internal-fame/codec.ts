/**
 * FAME encodings of the scheme-specific bodies (the framework writes the magic,
 * version, scheme and curve ids in front). Fixed-size points, u32 counts and
 * length-prefixed labels; every point decoded with its on-curve and subgroup checks;
 * GT elements only in the public key, decoded with the order-r check. Internal.
 */
import { InvalidEncodingError } from '../../../errors.js';
import type { ByteReader, ByteWriter } from '../../../internal/codec.js';
import {
  FR_BYTES,
  frFromBytes,
  frToBytes,
  G1_BYTES,
  G2_BYTES,
  GT_BYTES,
  g1ToBytes,
  g2ToBytes,
  gtFromBytes,
  gtToBytes,
} from '../../../pairing/index.js';
import { g1Decode, g2Decode } from '../../internal/point-decode.js';
import { FAME_LIMITS, type FameCt, type FameMk, type FamePk, type FameSk, type Triple } from './types.js';

const g1 = (r: ByteReader, what: string) => g1Decode(r.bytes(G1_BYTES, what), what);
const g2 = (r: ByteReader, what: string) => g2Decode(r.bytes(G2_BYTES, what), what);
const g1Triple = (r: ByteReader, what: string): Triple<ReturnType<typeof g1>> => [
  g1(r, `${what}[1]`),
  g1(r, `${what}[2]`),
  g1(r, `${what}[3]`),
];

export function writePk(w: ByteWriter, pk: FamePk): void {
  w.u8(pk.maxRepeats).bytes(g2ToBytes(pk.H1)).bytes(g2ToBytes(pk.H2)).bytes(gtToBytes(pk.T1)).bytes(gtToBytes(pk.T2));
}

export function readPk(r: ByteReader): FamePk {
  const maxRepeats = r.u8('maxRepeats');
  if (maxRepeats < 1 || maxRepeats > FAME_LIMITS.maxRepeats) {
    throw new InvalidEncodingError(`FAME public key: maxRepeats ${maxRepeats} outside [1, ${FAME_LIMITS.maxRepeats}]`);
  }
  return {
    maxRepeats,
    H1: g2(r, 'FAME public key H1'),
    H2: g2(r, 'FAME public key H2'),
    T1: gtFromBytes(r.bytes(GT_BYTES, 'T1'), 'FAME public key T1'),
    T2: gtFromBytes(r.bytes(GT_BYTES, 'T2'), 'FAME public key T2'),
  };
}

export function writeMk(w: ByteWriter, mk: FameMk): void {
  for (const x of [mk.a1, mk.a2, mk.b1, mk.b2]) w.bytes(frToBytes(x));
  for (const p of [mk.gd1, mk.gd2, mk.gd3]) w.bytes(g1ToBytes(p));
}

export function readMk(r: ByteReader): FameMk {
  const fr = (what: string) => frFromBytes(r.bytes(FR_BYTES, what), `FAME master key ${what}`, true);
  const a1 = fr('a1');
  const a2 = fr('a2');
  const b1 = fr('b1');
  const b2 = fr('b2');
  return {
    a1,
    a2,
    b1,
    b2,
    gd1: g1(r, 'FAME master key g^d1'),
    gd2: g1(r, 'FAME master key g^d2'),
    gd3: g1(r, 'FAME master key g^d3'),
  };
}

export function writeSk(w: ByteWriter, sk: FameSk): void {
  for (const p of sk.sk0) w.bytes(g2ToBytes(p));
  for (const p of sk.skp) w.bytes(g1ToBytes(p));
  w.u8(sk.copies).u32(sk.sky.size);
  for (const [y, copies] of sk.sky) {
    w.string(y);
    for (const c of copies) for (const p of c) w.bytes(g1ToBytes(p));
  }
}

export function readSk(r: ByteReader): FameSk {
  const sk0: Triple<ReturnType<typeof g2>> = [
    g2(r, 'FAME secret key sk0[1]'),
    g2(r, 'FAME secret key sk0[2]'),
    g2(r, 'FAME secret key sk0[3]'),
  ];
  const skp = g1Triple(r, "FAME secret key sk'");
  const copies = r.u8('copies');
  if (copies < 1 || copies > FAME_LIMITS.maxRepeats) {
    throw new InvalidEncodingError(`FAME secret key: copies ${copies} outside [1, ${FAME_LIMITS.maxRepeats}]`);
  }
  const n = r.count('attribute count', FAME_LIMITS.maxAttributes);
  if (n * copies > FAME_LIMITS.maxCopies) {
    throw new InvalidEncodingError(`FAME secret key: more than ${FAME_LIMITS.maxCopies} attribute components`);
  }
  const sky = new Map<string, Triple<ReturnType<typeof g1>>[]>();
  for (let i = 0; i < n; i++) {
    const y = r.string('attribute', FAME_LIMITS.maxLabelBytes);
    if (sky.has(y)) throw new InvalidEncodingError(`FAME secret key: duplicate attribute ${JSON.stringify(y)}`);
    const cs: Triple<ReturnType<typeof g1>>[] = [];
    for (let k = 1; k <= copies; k++) cs.push(g1Triple(r, `FAME secret key sk_y (attribute ${i}, copy ${k})`));
    sky.set(y, cs);
  }
  return { sk0, skp, copies, sky };
}

export function writeCt(w: ByteWriter, ct: FameCt): void {
  for (const p of ct.ct0) w.bytes(g2ToBytes(p));
  for (const row of ct.cti) for (const p of row) w.bytes(g1ToBytes(p));
}

export function readCt(r: ByteReader, nRows: number): FameCt {
  const ct0: Triple<ReturnType<typeof g2>> = [
    g2(r, 'FAME ciphertext ct0[1]'),
    g2(r, 'FAME ciphertext ct0[2]'),
    g2(r, 'FAME ciphertext ct0[3]'),
  ];
  // Check the length before decoding anything else: a short or long body fails fast.
  if (r.remaining < nRows * 3 * G1_BYTES) throw new InvalidEncodingError('FAME ciphertext: truncated rows');
  const cti: Triple<ReturnType<typeof g1>>[] = [];
  for (let i = 0; i < nRows; i++) cti.push(g1Triple(r, `FAME ciphertext ct_${i + 1}`));
  return { ct0, cti };
}
