/**
 * SD-JWT interoperability with @sd-jwt/core 0.19 (the OpenWallet Foundation's
 * reference implementation in JavaScript), both ways, with Node's own crypto as the
 * independent JWS implementation on the other side:
 * - presentations bpds issues (under fhirRules, with key binding) verify with
 *   @sd-jwt/core and disclose exactly the claims bpds reports;
 * - SD-JWTs (+KB) that @sd-jwt/core issues and presents verify with bpds, with the
 *   same processed payload.
 */
import {
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { SDJwtInstance } from '@sd-jwt/core';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import { describe, expect, it } from 'vitest';
import {
  extract,
  fhirRules,
  type JsonValue,
  type SignatureAlgorithm,
  SigningKey,
  sign,
  VerifyKey,
  verify,
} from '../src/ces/index.js';
import { fromBase64url, toBase64url } from '../src/internal/bytes.js';
import { closeSelection, hl7Fixtures, leaves, prng } from './helpers/fhir-schema.js';

type Alg = Exclude<SignatureAlgorithm, 'bls-bn254' | 'bls12-381'>;
const JWS: Record<Alg, string> = { ed25519: 'EdDSA', p256: 'ES256', secp256k1: 'ES256K' };
const CURVE: Record<Alg, string> = { ed25519: 'Ed25519', p256: 'P-256', secp256k1: 'secp256k1' };

/** A Node crypto key pair and its public JWK. */
function nodeKey(alg: Alg): { priv: KeyObject; jwk: Record<string, string> } {
  const { privateKey, publicKey } =
    alg === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: alg === 'p256' ? 'prime256v1' : 'secp256k1' });
  return { priv: privateKey, jwk: publicKey.export({ format: 'jwk' }) as Record<string, string> };
}

const nodeSigner = (alg: Alg, priv: KeyObject) => (data: string) =>
  toBase64url(
    nodeSign(alg === 'ed25519' ? null : 'sha256', Buffer.from(data), { key: priv, dsaEncoding: 'ieee-p1363' }),
  );
const nodeVerifier = (alg: Alg, jwk: object) => (data: string, sig: string) =>
  nodeVerify(
    alg === 'ed25519' ? null : 'sha256',
    Buffer.from(data),
    { key: createPublicKey({ key: jwk as never, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    fromBase64url(sig),
  );

/** The public JWK of a bpds key, computed with Node (not with bpds' own JWK code). */
function jwkOf(vk: VerifyKey): object {
  const raw = vk.toRaw();
  if (vk.algorithm === 'ed25519') return { kty: 'OKP', crv: 'Ed25519', x: toBase64url(raw) };
  const der = Buffer.concat([
    Buffer.from(
      vk.algorithm === 'p256'
        ? '3039301306072a8648ce3d020106082a8648ce3d030107032200'
        : '3036301006072a8648ce3d020106052b8104000a032200',
      'hex',
    ),
    raw,
  ]);
  return createPublicKey({ key: der, format: 'der', type: 'spki' }).export({ format: 'jwk' });
}

/** The bpds VerifyKey of a Node public JWK. */
function bpdsKey(alg: Alg, jwk: Record<string, string>): VerifyKey {
  if (alg === 'ed25519') return VerifyKey.fromRaw(alg, fromBase64url(jwk.x as string));
  const xy = [...fromBase64url(jwk.x as string), ...fromBase64url(jwk.y as string)];
  return VerifyKey.fromRaw(alg, Uint8Array.from([4, ...xy]));
}

/** Drop containers that are empty (hidden members leave them so in RFC processing). */
function pruned(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const out = Array.isArray(v)
    ? v.map(pruned).filter((x) => x !== undefined)
    : Object.fromEntries(
        Object.entries(v)
          .map(([k, x]) => [k, pruned(x)])
          .filter(([, x]) => x !== undefined),
      );
  return Object.keys(out).length === 0 ? undefined : out;
}

const ALGS: Alg[] = ['ed25519', 'p256', 'secp256k1'];
const FIXTURES = hl7Fixtures().filter((_, i) => i % 4 === 0);

describe.each(ALGS)('bpds issues, @sd-jwt/core verifies (%s)', (alg) => {
  const issuer = SigningKey.generate(alg);
  const holder = SigningKey.generate(alg === 'ed25519' ? 'p256' : 'ed25519');
  const holderAlg = holder.algorithm as Alg;

  it.each(FIXTURES.map((f) => [f.name, f.resource] as const))('%s', async (_, resource) => {
    const rules = fhirRules(resource.resourceType as string, { record: resource });
    const signed = sign(issuer, resource, { scheme: 'sd-jwt', rules, holderPublicKey: holder.verifyKey() });
    const rand = prng(resource.id === undefined ? 1 : String(resource.id).length * 7919);
    const sel = closeSelection(
      rules,
      resource,
      leaves(resource).filter(() => rand() < 0.3),
    );
    const shown = extract(signed, resource, sel, {
      holder: { key: holder, audience: 'https://verifier.example.org', nonce: 'n-0S6_WzA2Mj' },
    });
    const compact = shown.toSdJwt();
    const ours = verify(issuer.verifyKey(), compact, {
      audience: 'https://verifier.example.org',
      nonce: 'n-0S6_WzA2Mj',
    });
    expect(ours.valid).toBe(true);
    if (!ours.valid) return;

    const theirs = new SDJwtInstance({
      hasher: digest,
      verifier: nodeVerifier(alg, jwkOf(issuer.verifyKey())),
      kbVerifier: (data, sig) => nodeVerifier(holderAlg, jwkOf(holder.verifyKey()))(data, sig),
    });
    const r = await theirs.verify(compact, { keyBindingNonce: 'n-0S6_WzA2Mj' });
    const payload = r.payload as Record<string, unknown>;
    expect(r.header?.typ).toBe('dc+sd-jwt');
    expect(payload.vct).toBe('urn:bpds:ces:record');
    expect(pruned(payload.record)).toEqual(pruned(ours.disclosed));
    // exactly the selected claims: every leaf @sd-jwt/core sees is one bpds reports, and back
    const theirLeaves = leaves((pruned(payload.record) ?? {}) as JsonValue).length;
    expect(theirLeaves).toBe(ours.claims.length);
    // a tampered KB is refused by both
    const bad = compact.replace(/.$/, compact.endsWith('A') ? 'Q' : 'A');
    await expect(theirs.verify(bad, { keyBindingNonce: 'n-0S6_WzA2Mj' })).rejects.toThrow();
  });
});

describe.each(ALGS)('@sd-jwt/core issues, bpds verifies (%s)', (alg) => {
  const issuer = nodeKey(alg);
  const holder = nodeKey(alg);
  const theirs = new SDJwtInstance({
    hasher: digest,
    saltGenerator: generateSalt,
    signer: nodeSigner(alg, issuer.priv),
    signAlg: JWS[alg],
    verifier: nodeVerifier(alg, issuer.jwk),
    kbSigner: nodeSigner(alg, holder.priv),
    kbSignAlg: JWS[alg],
    kbVerifier: nodeVerifier(alg, holder.jwk),
  });
  const claims = {
    iss: 'https://issuer.example.com',
    iat: 1_700_000_000,
    vct: 'https://credentials.example.com/health',
    cnf: { jwk: holder.jwk },
    given_name: 'Erika',
    family_name: 'Mustermann',
    address: { street_address: 'Heidestraße 17', locality: 'Köln', country: 'DE' },
    nationalities: ['DE', 'FR'],
    immunization: { vaccine: 'COVID-19', doses: [{ date: '2021-05-01' }, { date: '2021-06-12' }] },
  };
  const frame = {
    _sd: ['given_name', 'family_name', 'address', 'immunization'],
    _sd_decoy: 3,
    address: { _sd: ['street_address', 'locality'], _sd_decoy: 1 },
    nationalities: { _sd: [0, 1] },
    immunization: { _sd: ['vaccine'], doses: { _sd: [0, 1] } },
  };

  it(`verifies a ${CURVE[alg]} SD-JWT+KB with the same disclosed claims`, async () => {
    const issued = await theirs.issue(claims, frame as never, { header: { typ: 'dc+sd-jwt' } });
    const vk = bpdsKey(alg, issuer.jwk);
    // the full issuance verifies (no KB: the verifier asked for none... but cnf demands one)
    expect(verify(vk, issued)).toEqual({ valid: false, reason: 'holder' });
    const presented = await theirs.present(
      issued,
      // (a frame reaching into `immunization.doses` makes @sd-jwt/core 0.19 fail its own sd_hash
      // check, so only the `immunization` object is disclosed: its array elements stay hidden)
      { family_name: true, address: { locality: true }, nationalities: { 1: true }, immunization: true } as never,
      { kb: { payload: { aud: 'https://verifier.example.org', nonce: 'abc123', iat: Math.floor(Date.now() / 1000) } } },
    );
    const ours = verify(vk, presented, { audience: 'https://verifier.example.org', nonce: 'abc123' });
    expect(ours).toMatchObject({ valid: true });
    if (!ours.valid) return;
    const r = await theirs.verify(presented, { keyBindingNonce: 'abc123' });
    expect(ours.disclosed).toEqual(r.payload);
    expect(ours.disclosed).toMatchObject({
      family_name: 'Mustermann',
      address: { locality: 'Köln', country: 'DE' },
      nationalities: ['FR'],
      immunization: { doses: [] },
    });
    expect((ours.disclosed as Record<string, unknown>).given_name).toBeUndefined();
    expect((ours.disclosed as { immunization: object }).immunization).not.toHaveProperty('vaccine');
    expect(ours.holderBound).toBe(true);
    expect(ours.rulesId).toBe('');
    // wrong nonce, wrong audience, other issuer key
    expect(verify(vk, presented, { audience: 'https://verifier.example.org', nonce: 'x' })).toEqual({
      valid: false,
      reason: 'holder',
    });
    expect(verify(vk, presented, { audience: 'https://evil.example', nonce: 'abc123' }).valid).toBe(false);
    const other = bpdsKey(alg, nodeKey(alg).jwk);
    expect(verify(other, presented, { audience: 'https://verifier.example.org', nonce: 'abc123' }).valid).toBe(false);
  });

  it('verifies an SD-JWT without key binding', async () => {
    const { cnf: _, ...noCnf } = claims;
    const issued = await theirs.issue(noCnf, frame as never);
    const presented = await theirs.present(issued, { given_name: true } as never);
    const ours = verify(bpdsKey(alg, issuer.jwk), presented);
    expect(ours.valid).toBe(true);
    if (ours.valid) expect(ours.disclosed).toEqual((await theirs.verify(presented)).payload);
  });
});
