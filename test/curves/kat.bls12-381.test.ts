// Known-answer vectors on BLS12-381 (test/vectors/kat/bls12-381/, made once by
// `npx tsx test/vectors/kat/generate.ts --curve bls12-381`; see test/vectors/kat/README.md).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decrypt, MasterKey, PublicKey, SecretKey } from '../../src/cpabe/index.js';
import { init } from '../../src/pairing/index.js';
import * as K from '../vectors/kat/compute.js';

const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../vectors/kat/bls12-381/${name}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
const bytes = (h: unknown) => Uint8Array.from(Buffer.from(h as string, 'hex'));

beforeAll(() => init({ curve: 'bls12-381' }));

describe('known-answer vectors (BLS12-381)', () => {
  it('pairing: generators, hashes to Fr/G1/G2 (RFC 9380), scalar reduction, encodings, pairing', () => {
    expect(K.pairingVectors()).toEqual(load('pairing'));
  });
  it.each(['fame', 'waters11', 'bsw07'] as const)('CP-ABE %s: keys and ciphertext with fixed randomness', async (s) => {
    const want = load(`cpabe-${s}`);
    expect(await K.cpabeVectors(s)).toEqual(want);
    const pk = PublicKey.fromBytes(bytes(want.publicKey));
    expect([pk.scheme, pk.curve]).toEqual([s, 'bls12-381']);
    expect(MasterKey.fromBytes(bytes(want.masterKey)).toBytes()).toEqual(bytes(want.masterKey));
    const sk = SecretKey.fromBytes(bytes(want.secretKey));
    const pt = await decrypt(sk, bytes(want.ciphertext), {
      associatedData: new TextEncoder().encode(want.associatedData as string),
    });
    expect(new TextDecoder().decode(pt)).toBe(want.plaintext);
  });
});
