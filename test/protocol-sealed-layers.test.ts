// The requester id of a presentation ciphertext is bound by three independent layers, and each
// must hold on its own (a later change to one layer must not silently rely on another):
//  1. the CP-ABE associated data (tagged hash of the length-prefixed context ids): the
//     ciphertext cannot be replayed under another context without decrypting it;
//  2. the envelope inside the plaintext repeats the ids: the plaintext names its grantee;
//  3. the patient's holder binding signs audience = requester id, nonce = grant id.
// Each test below builds a ciphertext that is right in two layers and wrong in the third (the
// policy is one the requester satisfies, so the CP-ABE policy check is not what refuses it).
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { extract, type JsonValue, type Presentation, SigningKey, sign } from '../src/ces/index.js';
import { encrypt } from '../src/cpabe/index.js';
import { init } from '../src/index.js';
import { Authority, ProtocolError } from '../src/protocol/index.js';
import { EnvelopeKind, sealEnvelope } from '../src/protocol/internal/envelope.js';
import { openPresentation, type PresentationContext, sealPresentation } from '../src/protocol/internal/sealed.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const cat = (...xs: Uint8Array[]) => {
  const out = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of xs) {
    out.set(x, o);
    o += x.length;
  }
  return out;
};
const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
/** Length prefix as documented: u32 big-endian length, then the bytes. */
const lp = (b: Uint8Array) => cat(u32(b.length), b);
/** Tagged hash as documented: SHA-256(SHA-256(tag) || SHA-256(tag) || m). */
const tagged = (tag: string, ...parts: Uint8Array[]) => {
  const t = sha256(utf8(tag));
  return sha256(cat(t, t, ...parts));
};
/** The presentation's associated data, from its definition in docs and src/protocol/internal/sealed.ts. */
const presentationAd = (c: PresentationContext) =>
  tagged(
    'bpds/v1/protocol/presentation-ad',
    ...[c.recordId, c.hospitalId, c.patientId, c.grantId, c.requesterId].map((s) => lp(utf8(s))),
  );
/** The envelope body as sealPresentation writes it (ByteWriter strings: u32 length + UTF-8). */
const envelopeBody = (c: PresentationContext, p: Presentation) =>
  cat(...[c.recordId, c.hospitalId, c.patientId, c.grantId, c.requesterId].map((s) => lp(utf8(s))), lp(p.toBytes()));

const record: JsonValue = { resourceType: 'Observation', status: 'final', code: { text: 'LVEF' } };
const ctx: PresentationContext = {
  recordId: 'r-1',
  hospitalId: 'st-mary',
  patientId: 'p-alice',
  grantId: 'g-1',
  requesterId: 'insurer-7',
};
const mallory: PresentationContext = { ...ctx, requesterId: 'insurer-8' };
const POLICY = 'org:insurer';

describe('presentation ciphertexts: each requester-id layer holds on its own', () => {
  let authority: Authority;
  let insurer: ReturnType<Authority['issueKey']>;
  const hospital = SigningKey.generate();
  const patientKey = SigningKey.generate();
  const signed = sign(hospital, record, { holderPublicKey: patientKey.verifyKey() });
  const shown = (audience: string) =>
    extract(signed, record, ['/resourceType'], { holder: { key: patientKey, audience, nonce: ctx.grantId } });

  beforeAll(async () => {
    await init();
    authority = Authority.create();
    insurer = authority.issueKey({ id: 'insurer-7', attributes: ['org:insurer'] });
  });

  const build = (ad: PresentationContext, envelope: PresentationContext, audience: string) =>
    encrypt(
      authority.publicKey,
      POLICY,
      sealEnvelope(EnvelopeKind.Presentation, envelopeBody(envelope, shown(audience))),
      { associatedData: presentationAd(ad) },
    );
  const refused = async (ct: Uint8Array, step: string, reason: string) => {
    const e = await openPresentation(insurer, ct, ctx, hospital.verifyKey()).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ProtocolError);
    expect({ step: (e as ProtocolError).step, reason: (e as ProtocolError).reason }).toEqual({ step, reason });
  };

  it('control: the hand-built ciphertext with all three layers right opens, like sealPresentation', async () => {
    const ours = await build(ctx, ctx, ctx.requesterId);
    const theirs = await sealPresentation(authority.publicKey, POLICY, ctx, shown(ctx.requesterId));
    for (const ct of [ours, theirs]) {
      const { verification } = await openPresentation(insurer, ct, ctx, hospital.verifyKey());
      expect(verification.disclosed).toEqual({ resourceType: 'Observation' });
      expect(verification.holderBound).toBe(true);
    }
  });

  it('layer 1: associated data for another requester is refused at decryption', async () => {
    await refused(await build(mallory, ctx, ctx.requesterId), 'decrypt', 'DECRYPTION_FAILED');
  });

  it('layer 2: an envelope naming another requester is refused', async () => {
    await refused(await build(ctx, mallory, ctx.requesterId), 'envelope', 'CONTEXT_MISMATCH');
  });

  it('layer 2: an envelope naming another grant is refused', async () => {
    await refused(await build(ctx, { ...ctx, grantId: 'g-2' }, ctx.requesterId), 'envelope', 'CONTEXT_MISMATCH');
  });

  it('layer 3: a holder binding for another audience is refused at the signature step', async () => {
    await refused(await build(ctx, ctx, mallory.requesterId), 'signature', 'INVALID_SIGNATURE');
  });
});
