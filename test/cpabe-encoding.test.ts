import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ciphertextInner } from '../src/cpabe/ciphertext.js';
import {
  Ciphertext,
  decrypt,
  encapsulate,
  encrypt,
  keygen,
  MasterKey,
  PublicKey,
  type SchemeName,
  SecretKey,
  setup,
} from '../src/cpabe/index.js';
import { writeHeader } from '../src/cpabe/internal/format.js';
import { makePublicKey, publicKeyInner } from '../src/cpabe/keys.js';
import { BpdsError, DecryptionError, InvalidEncodingError } from '../src/errors.js';
import { concatBytes } from '../src/internal/bytes.js';
import { ByteWriter } from '../src/internal/codec.js';
import * as P from '../src/pairing/index.js';
import { nonSubgroupG2 } from './curves/non-subgroup.js';
import { runs } from './helpers.js';

beforeAll(() => P.init());

const SCHEMES: readonly SchemeName[] = ['fame', 'waters11', 'bsw07'];
const te = new TextEncoder();

function expectEncodingError(f: () => unknown, pattern?: RegExp): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidEncodingError);
    expect((e as InvalidEncodingError).code).toBe('ERR_INVALID_ENCODING');
    if (pattern) expect((e as Error).message).toMatch(pattern);
    return;
  }
  expect.unreachable('expected InvalidEncodingError');
}

/**
 * The encoding of a decoded value, rebuilt from its decoded components (PublicKey and
 * Ciphertext keep their input bytes, so `toBytes()` alone would prove nothing).
 */
function reencode(v: unknown): Uint8Array {
  if (v instanceof PublicKey) {
    const { core, pk } = publicKeyInner(v);
    return makePublicKey(core, pk).toBytes();
  }
  if (v instanceof Ciphertext) {
    const c = ciphertextInner(v);
    const w = new ByteWriter();
    writeHeader(w, c.kind === 'hybrid' ? 'ciphertext' : 'encapsulation', c.core);
    w.string(c.prepared.text);
    c.core.writeCiphertext(w, c.ct);
    return concatBytes(w.finish(), c.bytes.subarray(c.abeEnd));
  }
  return (v as { toBytes(): Uint8Array }).toBytes(); // MasterKey, SecretKey: encoded from components
}

/**
 * A decoder either refuses with InvalidEncodingError or returns a value whose encoding,
 * rebuilt from what was decoded, is exactly the input (canonical encodings: no two byte
 * strings decode to the same value). Returns whether it decoded.
 */
function decodesCanonicallyOrEncodingError(f: () => unknown, input: Uint8Array): boolean {
  let v: unknown;
  try {
    v = f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidEncodingError);
    return false;
  }
  expect(reencode(v)).toEqual(input);
  return true;
}

const withByte = (b: Uint8Array, pos: number, v: number) => {
  const c = b.slice();
  c[pos] = v;
  return c;
};

describe.each(SCHEMES)('encodings (%s)', (scheme) => {
  let sys: { publicKey: PublicKey; masterKey: MasterKey };
  let sk: SecretKey;
  let ct: Uint8Array;
  let enc: Uint8Array;

  beforeAll(async () => {
    sys = setup({ scheme });
    sk = keygen(sys.masterKey, ['dept:cardiology', 'doctor', 'level#u4 = 9']);
    ct = await encrypt(sys.publicKey, 'dept:cardiology and (doctor or nurse) and level#u4 >= 5', te.encode('EMR'));
    enc = encapsulate(sys.publicKey, 'doctor or nurse').encapsulation;
  });

  it('round-trips keys and ciphertexts as bytes and armored text', async () => {
    const pk2 = PublicKey.fromBytes(sys.publicKey.toBytes());
    expect(pk2.toBytes()).toEqual(sys.publicKey.toBytes());
    expect(PublicKey.fromArmored(sys.publicKey.toArmored()).toBytes()).toEqual(sys.publicKey.toBytes());
    expect(sys.publicKey.toArmored()).toMatch(/^-----BEGIN BPDS CPABE PUBLIC KEY-----\n/);
    const mk2 = MasterKey.fromArmored(sys.masterKey.toArmored());
    expect(mk2.toBytes()).toEqual(sys.masterKey.toBytes());
    expect(mk2.scheme).toBe(scheme);
    const sk2 = SecretKey.fromArmored(sk.toArmored());
    expect(sk2.toBytes()).toEqual(sk.toBytes());
    expect(sk2.attributes).toEqual(sk.attributes);
    expect(await decrypt(sk2, ct)).toEqual(te.encode('EMR'));
    // a key issued from a restored master key decrypts too
    expect(await decrypt(keygen(mk2, ['dept:cardiology', 'doctor', 'level#u4 = 5']), ct)).toEqual(te.encode('EMR'));
    const c = Ciphertext.fromArmored(Ciphertext.fromBytes(ct).toArmored());
    expect(c.toBytes()).toEqual(ct);
    expect(Ciphertext.fromArmored(Ciphertext.fromBytes(enc).toArmored()).kind).toBe('kem');
  });

  it('rejects trailing bytes, unknown versions and curves, and the wrong kind', () => {
    const cases: [Uint8Array, (b: Uint8Array) => unknown][] = [
      [sys.publicKey.toBytes(), PublicKey.fromBytes],
      [sys.masterKey.toBytes(), MasterKey.fromBytes],
      [sk.toBytes(), SecretKey.fromBytes],
      [enc, Ciphertext.fromBytes],
    ];
    for (const [bytes, decode] of cases) {
      const longer = new Uint8Array(bytes.length + 1);
      longer.set(bytes);
      expectEncodingError(() => decode(longer), /trailing/);
      expectEncodingError(() => decode(bytes.subarray(0, bytes.length - 1)));
      expectEncodingError(() => decode(withByte(bytes, 0, 0x42)), /magic/);
      expectEncodingError(() => decode(withByte(bytes, 5, 2)), /version/);
      expectEncodingError(() => decode(withByte(bytes, 6, 77)), /scheme/);
      expectEncodingError(() => decode(withByte(bytes, 7, 9)), /unsupported curve id 9/);
      // the other supported curve: CurveMismatchError, naming both
      const otherId = P.loadedCurve().id === 1 ? 2 : 1;
      expectEncodingError(() => decode(withByte(bytes, 7, otherId)), /made on curve .* this process loaded/);
    }
    expectEncodingError(() => PublicKey.fromBytes(sk.toBytes()), /secret key/);
    expectEncodingError(() => SecretKey.fromBytes(sys.publicKey.toBytes()), /public key/);
    expectEncodingError(() => Ciphertext.fromBytes(sys.publicKey.toBytes()));
  });

  it('rejects a scheme id that names another scheme', () => {
    const other = SCHEMES.map((_, i) => i + 1).find((id) => id !== Ciphertext.fromBytes(ct).toBytes()[6]) as number;
    expectEncodingError(() => Ciphertext.fromBytes(withByte(ct, 6, other)));
    expectEncodingError(() => SecretKey.fromBytes(withByte(sk.toBytes(), 6, other)));
  });

  it('rejects a secret key whose attribute list does not match its components', () => {
    const bytes = sk.toBytes();
    const needle = te.encode('doctor');
    const at = bytes.findIndex((_, i) => needle.every((b, j) => bytes[i + j] === b));
    expect(at).toBeGreaterThan(0);
    expectEncodingError(() => SecretKey.fromBytes(withByte(bytes, at, 'D'.charCodeAt(0))));
  });

  it('rejects armor with the wrong label or a bad body', () => {
    expectEncodingError(() => PublicKey.fromArmored(sk.toArmored()));
    expectEncodingError(() => SecretKey.fromArmored(sk.toArmored().replace(/\n[A-Za-z]/, '\n*')));
    expectEncodingError(() => PublicKey.fromArmored('hello'));
  });

  it('decoders refuse mutated input or decode it canonically; truncated input always fails (fast-check)', () => {
    const c = Ciphertext.fromBytes(ct);
    // A hybrid ciphertext's payload has no length field: a cut inside it (keeping the 16-byte
    // tag's worth) still parses, and only decryption refuses it (checked below).
    const minHybrid = c.headerBytes + 16;
    const inputs: [Uint8Array, (b: Uint8Array) => unknown, number][] = [
      [sys.publicKey.toBytes(), PublicKey.fromBytes, Number.POSITIVE_INFINITY],
      [sk.toBytes(), SecretKey.fromBytes, Number.POSITIVE_INFINITY],
      [enc, Ciphertext.fromBytes, Number.POSITIVE_INFINITY],
      [ct, Ciphertext.fromBytes, minHybrid],
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: inputs.length - 1 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.nat(),
        (which, pos, x, cut) => {
          const [bytes, decode, minParsable] = inputs[which] as (typeof inputs)[number];
          const mutated = withByte(bytes, pos % bytes.length, (bytes[pos % bytes.length] as number) ^ x);
          decodesCanonicallyOrEncodingError(() => decode(mutated), mutated);
          const n = cut % bytes.length;
          const truncated = bytes.subarray(0, n);
          if (n < minParsable) expectEncodingError(() => decode(truncated));
          else expect(decodesCanonicallyOrEncodingError(() => decode(truncated), truncated)).toBe(true);
        },
      ),
      { numRuns: runs(30, { heavy: true }) },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        for (const decode of [PublicKey.fromBytes, MasterKey.fromBytes, SecretKey.fromBytes, Ciphertext.fromBytes]) {
          decodesCanonicallyOrEncodingError(() => decode(b), b);
        }
      }),
      { numRuns: runs(100) },
    );
  });

  it('a hybrid ciphertext cut inside its payload parses but never decrypts', async () => {
    const c = Ciphertext.fromBytes(ct);
    for (const n of [c.headerBytes, c.headerBytes + 15, c.headerBytes + 16, ct.length - 1]) {
      const cut = ct.subarray(0, n);
      if (n < c.headerBytes + 16) expectEncodingError(() => Ciphertext.fromBytes(cut));
      else expect(reencode(Ciphertext.fromBytes(cut))).toEqual(cut);
      await expect(decrypt(sk, cut)).rejects.toBeInstanceOf(
        n < c.headerBytes + 16 ? InvalidEncodingError : DecryptionError,
      );
    }
  });
});

describe('encodings: invalid group elements (FAME)', () => {
  let sys: ReturnType<typeof setup>;
  let ct: Uint8Array;
  beforeAll(() => {
    sys = setup();
    ct = encapsulate(sys.publicKey, 'a and b').encapsulation;
  });
  // FAME encapsulation layout: 8 framing bytes, u32 + policy text, ct0 (3 G2), rows (2 x 3 G1).
  const abeStart = () => ct.length - (3 * P.G2_BYTES + 2 * 3 * P.G1_BYTES);

  it('rejects a ciphertext row that is not on the curve', () => {
    const rowStart = abeStart() + 3 * P.G2_BYTES;
    let rejected = 0;
    for (let i = 1; rejected < 3 && i < 200; i++) {
      const x = new Uint8Array(P.G1_BYTES);
      x[0] = i;
      let onCurve = true;
      try {
        P.g1FromBytes(x);
      } catch {
        onCurve = false;
      }
      if (onCurve) continue;
      const bad = ct.slice();
      bad.set(x, rowStart);
      expectEncodingError(() => Ciphertext.fromBytes(bad), /G1/);
      rejected++;
    }
    expect(rejected).toBe(3);
  });

  it('rejects a G2 component on the twist but outside the order-r subgroup', () => {
    const found = nonSubgroupG2();
    expect(found).toBeDefined();
    const bad = ct.slice();
    bad.set(found as Uint8Array, abeStart());
    expectEncodingError(() => Ciphertext.fromBytes(bad), /subgroup/);
    // the same point as the public key's H1 (after the framing and the maxRepeats byte)
    const pk = sys.publicKey.toBytes();
    pk.set(found as Uint8Array, 9);
    expectEncodingError(() => PublicKey.fromBytes(pk), /subgroup/);
  });

  it('rejects a public key whose GT element is outside the order-r subgroup', () => {
    const pk = sys.publicKey.toBytes();
    // maxRepeats (1) + H1, H2 (2 G2), then T1 (a GT element)
    const t1 = 8 + 1 + 2 * P.G2_BYTES;
    expectEncodingError(() => PublicKey.fromBytes(withByte(pk, t1 + 5, (pk[t1 + 5] as number) ^ 1)), /GT/);
  });

  it('rejects a master key whose secrets do not match the embedded public key', () => {
    const other = setup();
    const mk = sys.masterKey.toBytes();
    const pkLen = sys.publicKey.toBytes().length;
    expect(other.publicKey.toBytes().length).toBe(pkLen);
    const mixed = mk.slice();
    mixed.set(other.publicKey.toBytes(), 8 + 4);
    expectEncodingError(() => MasterKey.fromBytes(mixed), /does not match/);
    expect(MasterKey.fromBytes(mk).toBytes()).toEqual(mk);
  });

  it('rejects armor whose label does not match the encoded kind', () => {
    const armored = Ciphertext.fromBytes(ct).toArmored().replaceAll('ENCAPSULATION', 'CIPHERTEXT');
    expectEncodingError(() => Ciphertext.fromArmored(armored), /label/);
  });

  it('is not fooled by BpdsError subclasses: errors carry stable codes', () => {
    let thrown: unknown;
    try {
      Ciphertext.fromBytes(new Uint8Array(3));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(BpdsError);
    expect(thrown).toBeInstanceOf(InvalidEncodingError);
    expect((thrown as BpdsError).code).toBe('ERR_INVALID_ENCODING');
  });
});
