/**
 * The `sd-jwt` CES scheme (RFC 9901 SD-JWT VC): issuance shape, encodings, rules,
 * key binding, and strict verification of hand-made malformed SD-JWTs signed with
 * the issuer's key (so only the SD-JWT layer can refuse them).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  extract,
  type JsonValue,
  Presentation,
  type SignatureAlgorithm,
  SignedRecord,
  SigningKey,
  sign,
  verify,
} from '../src/ces/index.js';
import { makeDisclosure, newSalt, sdDigest } from '../src/ces/sd-jwt/disclosure.js';
import { signJws } from '../src/ces/sd-jwt/jose.js';
import { ExtractionNotAllowedError, InvalidArgumentError, InvalidEncodingError } from '../src/errors.js';
import { fromBase64url, fromUtf8 } from '../src/internal/bytes.js';
import { runs } from './helpers.js';

const record = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ family: 'Chalmers', given: ['Peter', 'James'] }],
  gender: 'male',
  birthDate: '1974-12-25',
  address: { city: 'PleasantVille', postalCode: '3999' },
  telecom: [],
  active: true,
};
const rules = {
  id: 'patient-v1',
  mandatory: ['/resourceType'],
  never: ['/id'],
  requires: [{ if: '/address', needs: ['/address/city'] }],
};
const decode = (part: string) => JSON.parse(fromUtf8(fromBase64url(part)));

describe.each<SignatureAlgorithm>(['ed25519', 'p256', 'secp256k1'])('sd-jwt with %s', (alg) => {
  const issuer = SigningKey.generate(alg);
  const holder = SigningKey.generate('ed25519');
  const signed = sign(issuer, record, {
    scheme: 'sd-jwt',
    rules,
    holderPublicKey: holder.verifyKey(),
    issuer: 'https://hospital.example',
  });
  const binding = { key: holder, audience: 'https://clinic.example', nonce: 'n1' };
  const want = { audience: 'https://clinic.example', nonce: 'n1' };

  it('issues an SD-JWT VC: typ dc+sd-jwt, vct, _sd_alg, cnf, rules claim, mandatory in the clear', () => {
    expect(signed.scheme).toBe('sd-jwt');
    const jwt = new TextDecoder().decode(signed.headerBytes);
    const [h, p] = jwt.split('.') as [string, string];
    const jws: Record<string, string> = { ed25519: 'EdDSA', p256: 'ES256', secp256k1: 'ES256K' };
    expect(decode(h)).toEqual({ alg: jws[alg], typ: 'dc+sd-jwt' });
    const payload = decode(p);
    expect(payload).toMatchObject({ iss: 'https://hospital.example', vct: 'urn:bpds:ces:record', _sd_alg: 'sha-256' });
    expect(payload.cnf.jwk.crv).toBe('Ed25519');
    expect(payload.bpds_rules.id).toBe('patient-v1');
    expect(payload.record.resourceType).toBe('Patient');
    expect(payload.record.gender).toBeUndefined();
    // decoys: every _sd array is padded to a multiple of 4, digests sorted
    expect(payload.record._sd.length % 4).toBe(0);
    expect([...payload.record._sd].sort()).toEqual(payload.record._sd);
    // recursive: name elements are array placeholders
    expect(payload.record.name).toBeUndefined();
    expect(SignedRecord.fromBytes(signed.toBytes()).toBytes()).toEqual(signed.toBytes());
  });

  it('extracts, encodes and verifies; the rules hold at extraction and at verification', () => {
    const p = extract(signed, record, ['/gender', '/name/0/given/1', '/address'], { holder: binding });
    const compact = p.toSdJwt();
    expect(compact.split('~').length).toBeGreaterThan(4);
    for (const form of [p, compact, p.toBytes(), JSON.stringify(p), Presentation.fromBytes(p.toBytes())]) {
      const r = verify(issuer.verifyKey(), form as never, want);
      expect(r).toMatchObject({ valid: true, scheme: 'sd-jwt', rulesId: 'patient-v1', holderBound: true });
      if (r.valid) {
        expect(r.disclosed).toEqual({
          resourceType: 'Patient',
          name: [{ given: ['James'] }],
          gender: 'male',
          address: { city: 'PleasantVille', postalCode: '3999' },
        });
        expect(r.claims.map((c) => c.path)).toContainEqual(['name', 0, 'given', 1]);
      }
    }
    expect(p.scheme).toBe('sd-jwt');
    expect(p.holderBound).toBe(true);
    expect(p.documentId).toBe(signed.documentId);
    expect(() => extract(signed, record, ['/id'], { holder: binding })).toThrow(ExtractionNotAllowedError);
    expect(() => extract(signed, record, ['/address/postalCode'], { holder: binding })).toThrow(
      ExtractionNotAllowedError,
    );
    expect(() => extract(signed, { ...record, gender: 'female' }, ['/gender'])).toThrow(InvalidArgumentError);
  });

  it('enforces the signed rules at verification (a holder that adds a forbidden disclosure)', () => {
    const p = extract(signed, record, ['/gender'], { holder: binding }).toSdJwt();
    const all = SignedRecord.fromBytes(signed.toBytes());
    const issued = new TextDecoder().decode(all.toBytes().slice(3)); // contains every disclosure
    const idDisclosure = issued.split('~').find((d) => {
      try {
        return decode(d)[1] === 'id';
      } catch {
        return false;
      }
    });
    expect(idDisclosure).toBeDefined();
    const [jwt, ...rest] = p.split('~');
    const noKb = [jwt, ...rest.slice(0, -1), idDisclosure].join('~');
    expect(verify(issuer.verifyKey(), `${noKb}~`)).toEqual({ valid: false, reason: 'rules' });
    // and without any holder key in play
    const free = sign(issuer, record, { scheme: 'sd-jwt', rules });
    const q = extract(free, record, ['/gender']).toSdJwt();
    const freeIssued = new TextDecoder().decode(free.toBytes().slice(3));
    const freeId = freeIssued.split('~').find((d) => {
      try {
        return decode(d)[1] === 'id';
      } catch {
        return false;
      }
    });
    expect(verify(issuer.verifyKey(), `${q}${freeId}~`)).toEqual({ valid: false, reason: 'rules' });
    expect(verify(issuer.verifyKey(), q, { rules: { mandatory: ['/resourceType'] } })).toEqual({
      valid: false,
      reason: 'rules',
    });
  });

  it('checks key binding: audience, nonce, sd_hash, age', () => {
    const p = extract(signed, record, ['/gender'], { holder: { ...binding, time: 1_000 } }).toSdJwt();
    const vk = issuer.verifyKey();
    expect(verify(vk, p, { ...want, nonce: 'n2' })).toEqual({ valid: false, reason: 'holder' });
    expect(verify(vk, p, { ...want, audience: 'https://other.example' })).toEqual({ valid: false, reason: 'holder' });
    expect(verify(vk, p)).toEqual({ valid: false, reason: 'holder' });
    expect(verify(vk, p, { ...want, maxAgeSeconds: 60, now: 2_000 })).toEqual({ valid: false, reason: 'holder' });
    expect(verify(vk, p, { ...want, maxAgeSeconds: 60, now: 1_030 }).valid).toBe(true);
    expect(() => extract(signed, record, ['/gender'], { holder: { ...binding, key: SigningKey.generate() } })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('sd-jwt strict verification of issuer-signed but malformed SD-JWTs', () => {
  const issuer = SigningKey.generate('ed25519');
  const vk = issuer.verifyKey();
  const alg = { alg: 'EdDSA', typ: 'dc+sd-jwt' };
  const d1 = makeDisclosure(newSalt(), 'a', 1);
  const d2 = makeDisclosure(newSalt(), 'b', 2);
  const e1 = makeDisclosure(newSalt(), undefined, 'x');
  const jwt = (payload: Record<string, unknown>) => signJws(issuer, alg, { _sd_alg: 'sha-256', ...payload });
  const pres = (payload: Record<string, unknown>, ...ds: { encoded: string }[]) =>
    `${jwt(payload)}~${ds.map((d) => `${d.encoded}~`).join('')}`;

  it('accepts the well-formed baseline', () => {
    const r = verify(vk, pres({ _sd: [d1.digest, d2.digest], arr: [{ '...': e1.digest }] }, d1, d2, e1));
    expect(r).toMatchObject({ valid: true, disclosed: { a: 1, b: 2, arr: ['x'] }, rulesId: '' });
  });

  it.each<[string, Record<string, unknown>, { encoded: string }[]]>([
    ['an unreferenced disclosure', { _sd: [d1.digest] }, [d1, d2]],
    ['a disclosure twice', { _sd: [d1.digest] }, [d1, d1]],
    ['a digest twice', { _sd: [d1.digest], o: { _sd: [d1.digest] } }, [d1]],
    ['a digest twice in one _sd', { _sd: [d1.digest, d1.digest] }, [d1]],
    ['_sd that is not an array', { _sd: d1.digest }, [d1]],
    ['_sd with a non-digest', { _sd: [d1.digest, 42] }, [d1]],
    ['"..." outside an array', { '...': d1.digest }, []],
    ['"..." with a sibling key', { arr: [{ '...': e1.digest, x: 1 }] }, [e1]],
    ['an object disclosure at an array position', { arr: [{ '...': d1.digest }] }, [d1]],
    ['an array disclosure in _sd', { _sd: [e1.digest] }, [e1]],
    ['a disclosure overwriting a claim', { a: 0, _sd: [d1.digest] }, [d1]],
    [
      'a disclosed _sd claim',
      { _sd: [makeDisclosure('c2FsdA', '_sd', []).digest] },
      [makeDisclosure('c2FsdA', '_sd', [])],
    ],
    ['an unknown _sd_alg', { _sd_alg: 'sha-1', _sd: [d1.digest] }, [d1]],
  ])('refuses %s', (_, payload, ds) => {
    expect(verify(vk, pres(payload, ...ds))).toMatchObject({ valid: false, reason: 'structure' });
  });

  it('refuses expired and not-yet-valid SD-JWTs', () => {
    expect(verify(vk, pres({ exp: 1000 }), { now: 5000 })).toEqual({ valid: false, reason: 'expired' });
    expect(verify(vk, pres({ nbf: 9000 }), { now: 5000 })).toEqual({ valid: false, reason: 'expired' });
    expect(verify(vk, pres({ exp: 9000, nbf: 1000 }), { now: 5000 }).valid).toBe(true);
  });

  it('throws InvalidEncodingError for malformed encodings (non-canonical base64url, bad JSON, no "~")', () => {
    const good = pres({ _sd: [d1.digest] }, d1);
    const [j, d] = good.split('~') as [string, string];
    expect(() => verify(vk, `${j}~${d}=~`)).toThrow(InvalidEncodingError);
    expect(() => verify(vk, `${j}~${d.slice(0, -1)}${d.endsWith('Q') ? 'R' : 'Q'}~`)).toThrow(InvalidEncodingError);
    expect(() => verify(vk, j)).toThrow(InvalidEncodingError);
    expect(() => verify(vk, `${j}~~`)).toThrow(InvalidEncodingError);
    expect(() => verify(vk, `${j}~WyJhIiwiYiIsMSwyXQ~`)).toThrow(InvalidEncodingError); // 4 elements
    expect(() => verify(vk, `${j}~WyJhIiwgImIiLCAxLCAiYiI6IDJd~`)).toThrow(InvalidEncodingError); // not JSON
  });

  it('a KB-JWT without cnf, or a wrong-typ KB-JWT, is refused', () => {
    const h = SigningKey.generate('p256');
    const body = pres({ _sd: [d1.digest] }, d1);
    const kb = signJws(h, { alg: 'ES256', typ: 'kb+jwt' }, { iat: 1, aud: 'a', nonce: 'n', sd_hash: sdDigest(body) });
    expect(verify(vk, body + kb)).toEqual({ valid: false, reason: 'holder' });
  });

  it('random corruptions of a presentation never verify', () => {
    const signed = sign(issuer, record as unknown as JsonValue, { scheme: 'sd-jwt', rules });
    const good = extract(signed, record as unknown as JsonValue, ['/gender', '/address']).toSdJwt();
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.constantFrom(...'AQgw-_~.xyz0'), (i, c) => {
        fc.pre(good[i] !== c);
        const bad = good.slice(0, i) + c + good.slice(i + 1);
        try {
          return !verify(vk, bad).valid;
        } catch (e) {
          return e instanceof InvalidEncodingError;
        }
      }),
      { numRuns: runs(200) },
    );
  });
});
