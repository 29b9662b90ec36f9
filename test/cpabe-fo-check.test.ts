// The Fujisaki–Okamoto re-encryption check of `decrypt`, isolated: a dishonest encryptor builds
// a ciphertext through the same internal steps as `encrypt` (valid framing, a correct masked
// seed and a correct AES-GCM payload, so every other layer accepts it) but draws the
// encapsulation's randomness from a stream that is NOT the one the seed determines. Only the FO
// check can refuse it; the honest control built by the same code must decrypt.
import { beforeAll, describe, expect, it } from 'vitest';
import { decrypt, keygen, type SchemeName, setup } from '../src/cpabe/index.js';
import { writeHeader } from '../src/cpabe/internal/format.js';
import { demKey, foMask, foStream, headerDigest, xor32 } from '../src/cpabe/internal/kdf.js';
import { preparePolicy } from '../src/cpabe/internal/policy-bridge.js';
import { type PublicKey, publicKeyInner } from '../src/cpabe/keys.js';
import type { ScalarSource } from '../src/cpabe/scheme.js';
import { DecryptionError } from '../src/errors.js';
import { concatBytes, lp } from '../src/internal/bytes.js';
import { ByteWriter } from '../src/internal/codec.js';
import { frRandom, init } from '../src/pairing/index.js';

beforeAll(() => init());

const SCHEMES: readonly SchemeName[] = ['fame', 'waters11', 'bsw07'];
const POLICY = 'a and (b or c)';
const pt = new TextEncoder().encode('only the FO check stands between this and the reader');
const ad = new TextEncoder().encode('record-9');

/**
 * `encrypt` step by step, with the encapsulation randomness chosen by the caller:
 * `stream(sigma, pkDigest, prefix)` returns the scalar source given to the scheme core.
 */
async function build(
  publicKey: PublicKey,
  stream: (sigma: Uint8Array, pkDigest: Uint8Array, prefix: Uint8Array) => ScalarSource,
): Promise<Uint8Array> {
  const pub = publicKeyInner(publicKey);
  const prepared = preparePolicy(POLICY, 'policy');
  const w = new ByteWriter();
  writeHeader(w, 'ciphertext', pub.core);
  w.string(prepared.text);
  const prefix = w.finish();
  const sigma = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const { ct, key: Z } = pub.core.encapsulate(pub.pk, prepared.lsss, stream(sigma, pub.digest, prefix));
  const abe = new ByteWriter();
  pub.core.writeCiphertext(abe, ct);
  const body = concatBytes(prefix, abe.finish());
  const header = concatBytes(body, xor32(sigma, foMask(Z, pub.digest, headerDigest(body))));
  const { key, iv } = demKey(sigma, pub.digest, headerDigest(header));
  const k = await globalThis.crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [
    'encrypt',
  ]);
  const sealed = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: concatBytes(header, lp(ad)) as never },
    k,
    pt as Uint8Array<ArrayBuffer>,
  );
  return concatBytes(header, new Uint8Array(sealed));
}

describe.each(SCHEMES)('Fujisaki–Okamoto check (%s)', (scheme) => {
  let publicKey: PublicKey;
  let sk: ReturnType<typeof keygen>;
  beforeAll(() => {
    const s = setup({ scheme });
    publicKey = s.publicKey;
    sk = keygen(s.masterKey, ['a', 'b']);
  });

  it('the honest construction (the stream derived from sigma) decrypts', async () => {
    const ct = await build(publicKey, foStream);
    expect(await decrypt(sk, ct, { associatedData: ad })).toEqual(pt);
  });

  it('refuses fresh CSPRNG randomness instead of the stream sigma determines', async () => {
    const ct = await build(publicKey, () => frRandom);
    await expect(decrypt(sk, ct, { associatedData: ad })).rejects.toBeInstanceOf(DecryptionError);
  });

  it('refuses the stream of another sigma', async () => {
    const other = globalThis.crypto.getRandomValues(new Uint8Array(32));
    const ct = await build(publicKey, (_sigma, d, prefix) => foStream(other, d, prefix));
    await expect(decrypt(sk, ct, { associatedData: ad })).rejects.toBeInstanceOf(DecryptionError);
  });

  it('refuses a stream that deviates in one scalar only (the last one drawn)', async () => {
    // Count the draws of an honest encapsulation, then replace only the last draw.
    let n = 0;
    const probe = publicKeyInner(publicKey);
    const p = preparePolicy(POLICY, 'policy');
    probe.core.encapsulate(probe.pk, p.lsss, () => {
      n++;
      return frRandom();
    });
    expect(n).toBeGreaterThan(1);
    const ct = await build(publicKey, (sigma, d, prefix) => {
      const honest = foStream(sigma, d, prefix);
      let i = 0;
      return () => {
        const x = honest();
        return ++i === n ? frRandom() : x;
      };
    });
    await expect(decrypt(sk, ct, { associatedData: ad })).rejects.toBeInstanceOf(DecryptionError);
  });
});
