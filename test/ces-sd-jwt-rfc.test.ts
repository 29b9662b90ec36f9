/**
 * RFC 9901 worked examples (test/vectors/sd-jwt, see its README): bpds reproduces the
 * disclosure encodings and digests whose salts the RFC gives, verifies the RFC's
 * issuer signatures (ES256, key of Appendix A.5) and Key Binding JWTs, and computes
 * exactly the RFC's Processed SD-JWT Payloads; tampered variants are refused.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SigningKey, VerifyKey, verify } from '../src/ces/index.js';
import { parseDisclosure, sdDigest } from '../src/ces/sd-jwt/disclosure.js';
import { InvalidEncodingError } from '../src/errors.js';
import { fromBase64url, toBase64url, utf8 } from '../src/internal/bytes.js';

interface Vector {
  section: string;
  issuerJwk: { x: string; y: string };
  issuerPayload: Record<string, unknown>;
  disclosures: { digest: string; disclosure: string }[];
  presentation: string;
  processed: Record<string, unknown> | null;
  nonce: string;
  aud: string;
  issuance?: string;
  kbPayload?: Record<string, unknown>;
}

const dir = new URL('./vectors/sd-jwt/', import.meta.url);
const read = (f: string) => JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
const VECTORS: [string, Vector][] = readdirSync(dir)
  .filter((f) => /^rfc9901-(5|a\d)-.*\.json$/.test(f))
  .sort()
  .map((f) => [f, read(f) as Vector]);
const NOW = 1_750_000_000; // after the examples' iat, before their exp (1883000000)

const keyOf = (v: Vector) =>
  VerifyKey.fromRaw('p256', Uint8Array.from([4, ...fromBase64url(v.issuerJwk.x), ...fromBase64url(v.issuerJwk.y)]));

describe('RFC 9901 §4.2: disclosures and digests with the given salts', () => {
  const e = read('rfc9901-4-2-disclosures.json');

  it('reproduces the object-property disclosure of §4.2.1 and its §4.2.3 digest', () => {
    const { salt, name, value, disclosure } = e.objectProperty;
    // the RFC's JSON has a space after each comma (any whitespace is allowed, §4.2.1)
    expect(toBase64url(utf8(`["${salt}", "${name}", "${value}"]`))).toBe(disclosure);
    expect(sdDigest(disclosure)).toBe('X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0');
    expect(parseDisclosure(disclosure)).toMatchObject({ salt, name, value });
  });

  it('reproduces the array-element disclosure of §4.2.2', () => {
    const { salt, value, disclosure } = e.arrayElement;
    expect(toBase64url(utf8(`["${salt}", "${value}"]`))).toBe(disclosure);
    expect(parseDisclosure(disclosure)).toMatchObject({ salt, name: undefined, value });
  });
});

describe.each(VECTORS)('RFC 9901 example %s', (_, v) => {
  const vk = keyOf(v);
  const kb = !v.presentation.endsWith('~');
  const opts = kb ? { audience: v.aud, nonce: v.nonce, now: NOW } : { now: NOW };

  it('every listed disclosure has the listed digest, and the digest is embedded', () => {
    expect(v.disclosures.length).toBeGreaterThan(0);
    const embedded = JSON.stringify([
      v.issuerPayload,
      ...v.disclosures.map((d) => parseDisclosure(d.disclosure).value),
    ]);
    for (const d of v.disclosures) {
      expect(sdDigest(d.disclosure)).toBe(d.digest);
      expect(embedded).toContain(`"${d.digest}"`);
    }
  });

  it('verifies with the Appendix A.5 key and yields the RFC Processed SD-JWT Payload', () => {
    const r = verify(vk, v.presentation, opts);
    expect(r).toMatchObject({ valid: true, scheme: 'sd-jwt', holderBound: kb, rulesId: '' });
    if (r.valid && v.processed !== null) expect(r.disclosed).toEqual(v.processed);
  });

  it('refuses tampering', () => {
    const parts = v.presentation.split('~');
    const last = parts.length - 1;
    // another issuer key
    expect(verify(SigningKey.generate('p256').verifyKey(), v.presentation, opts)).toEqual({
      valid: false,
      reason: 'signature',
    });
    // a disclosure twice
    const dup = [...parts.slice(0, last), parts[1] as string, parts[last] as string].join('~');
    if (parts.length > 2) expect(verify(vk, dup, opts)).toMatchObject({ valid: false });
    // an unreferenced disclosure (valid encoding, digest nowhere)
    const stray = toBase64url(utf8('["c2FsdHNhbHRzYWx0c2FsdA", "extra", 1]'));
    const withStray = [...parts.slice(0, last), stray, parts[last] as string].join('~');
    expect(verify(vk, withStray, opts)).toMatchObject({ valid: false });
    // a non-canonical base64url disclosure (the same bytes with a set trailing bit)
    if (parts.length > 2) {
      const d = parts[1] as string;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      if (d.length % 4 !== 0) {
        const lastChar = alphabet.indexOf(d[d.length - 1] as string);
        const bumped = d.slice(0, -1) + alphabet[lastChar + 1];
        const nonCanonical = [parts[0], bumped, ...parts.slice(2)].join('~');
        expect(() => verify(vk, nonCanonical, opts)).toThrow(InvalidEncodingError);
      }
    }
    // a changed issuer payload
    const jwt = parts[0] as string;
    const [h, p, s] = jwt.split('.') as [string, string, string];
    const payload = JSON.parse(new TextDecoder().decode(fromBase64url(p)));
    payload.iat = (payload.iat as number) + 1;
    const forged = [`${h}.${toBase64url(utf8(JSON.stringify(payload)))}.${s}`, ...parts.slice(1)].join('~');
    expect(verify(vk, forged, opts)).toEqual({ valid: false, reason: 'signature' });
    if (kb) {
      expect(verify(vk, v.presentation, { ...opts, nonce: 'other' })).toEqual({ valid: false, reason: 'holder' });
      // dropping a disclosure breaks sd_hash (or leaves a nested disclosure unreferenced)
      if (parts.length > 2) {
        const dropped = [parts[0], ...parts.slice(2)].join('~');
        expect(verify(vk, dropped, opts)).toMatchObject({ valid: false });
      }
      // without the KB-JWT the verifier that asked for one refuses
      expect(verify(vk, `${parts.slice(0, last).join('~')}~`, opts)).toEqual({ valid: false, reason: 'holder' });
    }
  });
});

describe('RFC 9901 §5: the full issuance', () => {
  const v = read('rfc9901-5-simple.json') as Vector;

  it('is the issuer-signed JWT followed by every listed disclosure', () => {
    expect(v.issuance).toBe(`${v.presentation.split('~')[0]}~${v.disclosures.map((d) => `${d.disclosure}~`).join('')}`);
  });

  it('the KB-JWT payload is the RFC one, its sd_hash over the presentation', () => {
    const parts = (v.presentation as string).split('~');
    const kbJwt = parts[parts.length - 1] as string;
    const kbPayload = JSON.parse(new TextDecoder().decode(fromBase64url(kbJwt.split('.')[1] as string)));
    expect(kbPayload).toEqual(v.kbPayload);
    expect(sdDigest(v.presentation.slice(0, v.presentation.length - kbJwt.length))).toBe(kbPayload.sd_hash);
  });
});
