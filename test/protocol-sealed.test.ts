import { beforeAll, describe, expect, it } from 'vitest';
import { extract, type JsonValue, SigningKey, sign } from '../src/ces/index.js';
import { InvalidArgumentError } from '../src/errors.js';
import { init } from '../src/index.js';
import { Authority, identityAttribute, ProtocolError } from '../src/protocol/index.js';
import {
  openPresentation,
  openRecord,
  type PresentationContext,
  type RecordContext,
  sealPresentation,
  sealRecord,
} from '../src/protocol/internal/sealed.js';

const record: JsonValue = {
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'LVEF' },
  valueQuantity: { value: 38.5, unit: '%' },
  note: [{ text: 'reduced' }],
};
const ctx: RecordContext = { recordId: 'r-1', hospitalId: 'st-mary', patientId: 'p-alice' };
const pctx: PresentationContext = { ...ctx, grantId: 'g-1', requesterId: 'insurer-7' };
const extractAll = (s: Parameters<typeof extract>[0], r: JsonValue) => extract(s, r, [[]]);

function expectStep(e: unknown, step: string, reason: string): void {
  expect(e).toBeInstanceOf(ProtocolError);
  expect((e as ProtocolError).step).toBe(step);
  expect((e as ProtocolError).reason).toBe(reason);
}

describe('sealed record and presentation', () => {
  let authority: Authority;
  const hospital = SigningKey.generate();
  beforeAll(async () => {
    await init();
    authority = Authority.create();
  });

  it('a satisfying key opens and verifies the record; others are refused with the step named', async () => {
    const signed = sign(hospital, record, { rules: { mandatory: ['/resourceType'] } });
    const ct = await sealRecord(authority.publicKey, 'dept:cardiology and role:doctor', ctx, { full: signed }, record);
    const doctor = authority.issueKey({ id: 'dr-chen', attributes: ['dept:cardiology', 'role:doctor'] });
    const opened = await openRecord(doctor, ct, ctx, hospital.verifyKey(), extractAll);
    expect(opened.record).toEqual(record);
    expect(opened.verification.documentId).toBe(signed.documentId);

    const nurse = authority.issueKey({ id: 'nurse-ito', attributes: ['dept:oncology', 'role:nurse'] });
    await openRecord(nurse, ct, ctx, hospital.verifyKey(), extractAll).then(
      () => expect.unreachable(),
      (e) => expectStep(e, 'decrypt', 'POLICY_NOT_SATISFIED'),
    );
    // Wrong context (replayed under another record): the associated data does not match.
    await openRecord(doctor, ct, { ...ctx, recordId: 'r-2' }, hospital.verifyKey(), extractAll).then(
      () => expect.unreachable(),
      (e) => expectStep(e, 'decrypt', 'DECRYPTION_FAILED'),
    );
    // Wrong hospital key.
    await openRecord(doctor, ct, ctx, SigningKey.generate().verifyKey(), extractAll).then(
      () => expect.unreachable(),
      (e) => expectStep(e, 'signature', 'INVALID_SIGNATURE'),
    );
    // Tampered ciphertext.
    const t = ct.slice();
    t[t.length - 5] = (t[t.length - 5] as number) ^ 1;
    await openRecord(doctor, t, ctx, hospital.verifyKey(), extractAll).then(
      () => expect.unreachable(),
      (e) => expectStep(e, 'decrypt', 'DECRYPTION_FAILED'),
    );
  });

  it('a record signed by another key inside a valid ciphertext is refused at the signature step', async () => {
    const forger = SigningKey.generate();
    const signed = sign(forger, record);
    const ct = await sealRecord(authority.publicKey, 'role:doctor', ctx, { full: signed }, record);
    const doctor = authority.issueKey({ id: 'dr-chen', attributes: ['role:doctor'] });
    await openRecord(doctor, ct, ctx, hospital.verifyKey(), extractAll).then(
      () => expect.unreachable(),
      (e) => expectStep(e, 'signature', 'INVALID_SIGNATURE'),
    );
  });

  it('a presentation opens only for the named requester and only in its grant context', async () => {
    const patientKey = SigningKey.generate();
    const signed = sign(hospital, record, { holderPublicKey: patientKey.verifyKey() });
    const shown = extract(signed, record, ['/resourceType', '/valueQuantity'], {
      holder: { key: patientKey, audience: pctx.requesterId, nonce: pctx.grantId },
    });
    const ct = await sealPresentation(authority.publicKey, identityAttribute('insurer-7'), pctx, shown);
    const insurer = authority.issueKey({ id: 'insurer-7', attributes: ['org:insurer'] });
    const { verification } = await openPresentation(insurer, ct, pctx, hospital.verifyKey());
    expect(verification.disclosed).toEqual({ resourceType: 'Observation', valueQuantity: { value: 38.5, unit: '%' } });

    const other = authority.issueKey({ id: 'insurer-8', attributes: ['org:insurer'] });
    await openPresentation(other, ct, { ...pctx, requesterId: 'insurer-8' }, hospital.verifyKey()).then(
      () => expect.unreachable(),
      (e) => expectStep(e, 'decrypt', 'POLICY_NOT_SATISFIED'),
    );
    await openPresentation(insurer, ct, { ...pctx, grantId: 'g-2' }, hospital.verifyKey()).then(
      () => expect.unreachable(),
      (e) => expectStep(e, 'decrypt', 'DECRYPTION_FAILED'),
    );
  });

  it('the authority reserves identity attributes', () => {
    expect(() => authority.issueKey({ id: 'eve', attributes: ['id:insurer-7'] })).toThrow(InvalidArgumentError);
    expect(() => authority.issueKey({ id: 'bad id!', attributes: [] })).toThrow(InvalidArgumentError);
    const k = authority.issueKey({ id: 'eve', attributes: ['role:clerk'] });
    expect([...k.attributes].sort()).toEqual(['id:eve', 'role:clerk']);
  });
});
