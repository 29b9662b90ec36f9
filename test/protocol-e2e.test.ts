import { beforeAll, describe, expect, it } from 'vitest';
import { extract, type Presentation, SigningKey, sign } from '../src/ces/index.js';
import { createTransaction, type Ledger } from '../src/chain/index.js';
import { ExtractionNotAllowedError, InvalidArgumentError, LedgerError } from '../src/errors.js';
import { generateSigningKey, keyFingerprint, recordDigest, signRecord } from '../src/index-record/index.js';
import { toBase64url } from '../src/internal/bytes.js';
import { type BlobStore, blobLocator, Custodian, Hospital, MemoryBlobStore } from '../src/protocol/index.js';
import { presentationAudience } from '../src/protocol/internal/audience.js';
import { cesSigningKey } from '../src/protocol/internal/keys.js';
import { readRecord } from '../src/protocol/internal/open.js';
import { sealPresentation } from '../src/protocol/internal/sealed.js';
import { expectRefused, makeWorld, observation, type World } from './protocol-helpers.js';

const POLICY = 'dept:cardiology and (role:doctor or role:nurse)';

describe('BPDS flow end to end', () => {
  let w: World;
  let recordId: string;
  let locator: string;

  beforeAll(async () => {
    w = await makeWorld();
    const p = await w.hospital.publish({
      patient: 'p-alice',
      record: observation,
      policy: POLICY,
      rules: { never: ['/note'], requires: [{ if: '/valueQuantity', needs: ['/code'] }] },
    });
    recordId = p.recordId;
    locator = p.locator;
    await w.patient.grant({ recordId, to: { policy: 'dept:cardiology' }, purposes: ['TREAT'] });
  });

  it('publishes a signed index record that reveals no policy or content', async () => {
    const [rec] = await w.patient.records();
    expect(rec?.recordId).toBe(recordId);
    expect(rec?.hospital.id).toBe('st-mary');
    expect(JSON.stringify(rec)).not.toMatch(/cardiology|LVEF|Alice/);
  });

  it('a requester with matching attributes reads and verifies the whole record', async () => {
    const doc = await w.requester('dr-chen', ['dept:cardiology', 'role:doctor']);
    const { record, report } = await doc.access({ recordId, purpose: 'TREAT' });
    expect(record).toEqual(observation);
    expect(report).toMatchObject({
      source: 'record',
      recordId,
      patient: 'p-alice',
      signedBy: { hospital: 'st-mary' },
      grantedFields: 'all',
      fieldsHidden: false,
      access: { purpose: 'TREAT', reason: 'GRANTED' },
    });
    expect(report.disclosedFields).toContain('/valueQuantity/value');
  });

  it('wrong attributes: refused by the ledger, and by CP-ABE when the ledger allows it', async () => {
    const nurse = await w.requester('nurse-ito', ['dept:oncology', 'role:nurse']);
    await expectRefused(nurse.access({ recordId, purpose: 'TREAT' }), 'access', 'NO_MATCHING_GRANT');
    // Alice grants her by id, but her attributes do not satisfy the hospital's policy.
    await w.patient.grant({ recordId, to: { requester: 'nurse-ito' } });
    await expectRefused(nurse.access({ recordId, purpose: 'TREAT' }), 'decrypt', 'POLICY_NOT_SATISFIED');
  });

  it('a field-limited grant delivers exactly the granted fields, verified', async () => {
    const insurer = await w.requester('insurer-7', ['org:insurer']);
    const fields = ['/code', '/valueQuantity'];
    const g = await w.patient.grant({ recordId, to: { requester: 'insurer-7' }, fields, purposes: ['HPAYMT'] });
    expect(g.presentation).toMatch(/^bpds-blob:sha256:/);
    const { record, report } = await insurer.access({
      recordId,
      purpose: 'HPAYMT',
      presentation: g.presentation as string,
    });
    expect(record).toEqual({
      code: (observation as { code: unknown }).code,
      valueQuantity: { value: 38.5, unit: '%' },
    });
    expect(report).toMatchObject({ source: 'presentation', fieldsHidden: true, grantedFields: fields });
    // The full record stays out of reach; a purpose outside the grant is denied.
    await expectRefused(insurer.access({ recordId, purpose: 'HPAYMT' }), 'access', 'PRESENTATION_REQUIRED');
    await expectRefused(insurer.access({ recordId, purpose: 'TREAT' }), 'access', 'NO_MATCHING_GRANT');
    // Another insurer cannot open this presentation even with its own grant.
    const other = await w.requester('insurer-8', ['org:insurer']);
    await w.patient.grant({ recordId, to: { requester: 'insurer-8' }, fields: ['/code'], purposes: ['HPAYMT'] });
    await expectRefused(
      other.access({ recordId, purpose: 'HPAYMT', presentation: g.presentation as string }),
      'decrypt',
      'POLICY_NOT_SATISFIED',
    );
  });

  it('a selection that breaks the signed extraction rules is refused before any grant', async () => {
    const before = (await w.patient.grants(recordId)).length;
    await expect(
      w.patient.grant({ recordId, to: { requester: 'insurer-7' }, fields: ['/valueQuantity'] }),
    ).rejects.toThrow(ExtractionNotAllowedError);
    await expect(w.patient.grant({ recordId, to: { requester: 'insurer-7' }, fields: ['/note'] })).rejects.toThrow(
      ExtractionNotAllowedError,
    );
    expect((await w.patient.grants(recordId)).length).toBe(before);
  });

  it('revoked grant: refused', async () => {
    const r = await w.requester('researcher-1', ['org:university']);
    const g = await w.patient.grant({ recordId, to: { requester: 'researcher-1' }, fields: ['/code'] });
    await r.access({ recordId, purpose: 'HRESCH', presentation: g.presentation as string });
    await w.patient.revoke(g.grantId);
    await expectRefused(
      r.access({ recordId, purpose: 'HRESCH', presentation: g.presentation as string }),
      'access',
      'NO_MATCHING_GRANT',
    );
    await expectRefused(w.patient.revoke(g.grantId), 'grant', 'ALREADY_REVOKED');
  });

  it('expired grant: refused once the ledger clock passes the expiry', async () => {
    const r = await w.requester('gp-2', ['role:doctor']);
    const g = await w.patient.grant({
      recordId,
      to: { requester: 'gp-2' },
      fields: ['/code'],
      expiresAt: new Date(w.clock.now + 3600_000),
    });
    await r.access({ recordId, purpose: 'TREAT', presentation: g.presentation as string });
    w.clock.now += 2 * 3600_000;
    await expectRefused(
      r.access({ recordId, purpose: 'TREAT', presentation: g.presentation as string }),
      'access',
      'NO_MATCHING_GRANT',
    );
    await expectRefused(
      w.patient.grant({ recordId, to: { requester: 'gp-2' }, expiresAt: new Date(w.clock.now - 1000) }),
      'grant',
      'EXPIRED',
    );
  });

  it('tampered blob: detected by the store, and by the index record digest behind a lying store', async () => {
    const bytes = await w.store.get(locator);
    // A store whose stored bytes were altered refuses to serve them.
    const tampering = new MemoryBlobStore();
    const loc = await tampering.put(bytes);
    tampering.tamper(loc, (b) => {
      b[100] = (b[100] as number) ^ 1;
      return b;
    });
    await expectRefused(tampering.get(loc), 'blob-integrity', 'BLOB_CORRUPT');
    const doc = await w.requester('dr-tamper', ['dept:cardiology', 'role:doctor'], { store: tampering });
    const [rec] = await w.patient.records();
    expect(rec?.locator).toBe(loc);
    await expectRefused(doc.access({ recordId, purpose: 'TREAT' }), 'blob-integrity', 'BLOB_CORRUPT');
    // A lying store that serves other (correctly addressed) bytes: the index record digest catches it.
    const other = await w.hospital.publish({ patient: 'p-alice', record: { resourceType: 'Basic' }, policy: POLICY });
    const liar: BlobStore = {
      put: (b) => w.store.put(b),
      has: (l) => w.store.has(l),
      get: async (l) => (l === locator ? w.store.get(other.locator) : w.store.get(l)),
    };
    const fooled = await w.requester('dr-fooled', ['dept:cardiology', 'role:doctor'], { store: liar });
    await expectRefused(fooled.access({ recordId, purpose: 'TREAT' }), 'ciphertext-digest', 'DIGEST_MISMATCH');
  });

  it('tampered index record: a ledger node that alters a record is caught by the hospital signature', async () => {
    const evil = tamperedLedger(w.ledger, async (r) => ({ ...r, createdAt: '2020-01-01T00:00:00Z' }));
    const doc = await w.requester('dr-idx', ['dept:cardiology', 'role:doctor'], { ledger: evil });
    await expectRefused(doc.access({ recordId, purpose: 'TREAT' }), 'index-record', 'INVALID_SIGNATURE');
    const moved = tamperedLedger(w.ledger, async (r) => ({ ...r, locator: blobLocator(new Uint8Array([1])) }));
    const doc2 = await w.requester('dr-idx2', ['dept:cardiology', 'role:doctor'], { ledger: moved });
    await expectRefused(doc2.access({ recordId, purpose: 'TREAT' }), 'index-record', 'INVALID_SIGNATURE');
  });

  it('wrong hospital key: a record signed by another key than the registered one is refused', async () => {
    const impostor = generateSigningKey();
    const impostorFp = toBase64url(keyFingerprint(impostor.publicKey));
    const resign = (keepFingerprint: boolean) =>
      tamperedLedger(w.ledger, async (r) => {
        const { signature: _s, ...unsigned } = r;
        const signed = signRecord(
          { ...unsigned, hospital: { ...unsigned.hospital, keyFingerprint: impostorFp } },
          impostor.secretKey,
        );
        return keepFingerprint ? { ...signed, hospital: r.hospital } : signed;
      });
    for (const keep of [false, true]) {
      const doc = await w.requester(`dr-key-${keep}`, ['dept:cardiology', 'role:doctor'], { ledger: resign(keep) });
      await expectRefused(doc.access({ recordId, purpose: 'TREAT' }), 'index-record', 'INVALID_SIGNATURE');
    }
    // The ledger itself refuses a publication signed by an unregistered key.
    const [first] = await w.patient.records();
    const tx = createTransaction('test', 'st-mary', 'publishRecord', { record: first! }, impostor.secretKey);
    await expect(w.ledger.submit(tx)).rejects.toMatchObject({ reason: 'UNAUTHORIZED_SIGNER' });
  });

  it('forged presentation: another signer, another record, or more fields than granted', async () => {
    const r = await w.requester('auditor-1', ['org:audit']);
    const g = await w.patient.grant({ recordId, to: { requester: 'auditor-1' }, fields: ['/code'] });
    const grant = (await w.patient.grants(recordId)).find((x) => x.grantId === g.grantId)!;
    const ctx = {
      recordId,
      hospitalId: 'st-mary',
      patientId: 'p-alice',
      grantId: g.grantId,
      requesterId: presentationAudience(grant.grantee),
    };
    const deliver = async (p: Presentation) =>
      w.store.put(await sealPresentation(w.authority.publicKey, 'id:auditor-1', ctx, p));
    const present = (loc: string) => r.access({ recordId, purpose: 'TREAT', presentation: loc });
    // 1. Signed by a forger instead of the hospital.
    const altered = { ...(observation as object), code: { text: 'healthy' } };
    const forged = extract(sign(SigningKey.generate(), altered), altered, ['/code']);
    await expectRefused(present(await deliver(forged)), 'signature', 'INVALID_SIGNATURE');
    // 2. A genuine hospital signature, but over another record of the same patient.
    const other = await w.hospital.publish({
      patient: 'p-alice',
      record: { resourceType: 'Observation', code: { text: 'other' } },
      policy: POLICY,
    });
    const patientKey = w.authority.issueKey({ id: 'p-alice' });
    const otherRead = await readRecord(w.ledger, w.store, patientKey, other.recordId);
    const holder = (nonce: string) => ({
      holder: { key: cesSigningKey(w.patientSecret), audience: ctx.requesterId, nonce },
    });
    const mixed = extract(otherRead.signed, otherRead.record, ['/code'], holder(g.grantId));
    await expectRefused(present(await deliver(mixed)), 'signature', 'RECORD_MISMATCH');
    // 3. The right record, but more fields than the grant allows (a cheating patient app).
    const ownRead = await readRecord(w.ledger, w.store, patientKey, recordId);
    const tooMuch = extract(ownRead.signed, ownRead.record, ['/code', '/subject'], holder(g.grantId));
    await expectRefused(present(await deliver(tooMuch)), 'grant', 'FIELDS_EXCEED_GRANT');
    // 4. Made by someone who holds the signed record but not the patient's key (e.g. a
    //    full reader), or bound by the patient to another grant: the holder binding fails.
    const unbound = extract(ownRead.signed, ownRead.record, ['/code']);
    await expectRefused(present(await deliver(unbound)), 'signature', 'INVALID_SIGNATURE');
    const otherGrant = extract(ownRead.signed, ownRead.record, ['/code'], holder('another-grant'));
    await expectRefused(present(await deliver(otherGrant)), 'signature', 'INVALID_SIGNATURE');
    // 5. A presentation locator that does not exist.
    await expectRefused(present(blobLocator(new Uint8Array([7]))), 'blob-store', 'BLOB_NOT_FOUND');
    // The genuine one still works.
    const ok = await present(g.presentation as string);
    expect(ok.record).toEqual({ code: (observation as { code: unknown }).code });
  });

  it('replayed request: the ledger refuses a transaction it has seen', async () => {
    const k = generateSigningKey();
    await w.authority.enroll(w.ledger, { id: 'replayer', attributes: ['role:doctor'], publicKey: k.publicKey });
    const tx = createTransaction('test', 'replayer', 'requestAccess', { recordId, purpose: 'TREAT' }, k.secretKey);
    await w.ledger.submit(tx);
    const e = await w.ledger.submit(tx).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LedgerError);
    expect((e as LedgerError).reason).toBe('REPLAYED_NONCE');
  });

  it('break-glass: an emergency requester reads without a grant, and the patient sees it', async () => {
    const er = await w.requester('dr-er', ['dept:cardiology', 'role:doctor'], { emergency: true });
    const { report } = await er.access({ recordId, purpose: 'ETREAT' });
    expect(report.access.reason).toBe('BREAK_GLASS');
    const notEr = await w.requester('dr-not-er', ['dept:cardiology', 'role:doctor']);
    await expectRefused(notEr.access({ recordId, purpose: 'ETREAT' }), 'access', 'EMERGENCY_NOT_AUTHORIZED');
    const log = await w.patient.auditLog();
    expect(log.some((e) => e.kind === 'break-glass' && e.actor === 'dr-er')).toBe(true);
    expect(log.some((e) => e.kind === 'access-denied' && e.actor === 'nurse-ito')).toBe(true);
    expect(log.some((e) => e.kind === 'revoked')).toBe(true);
    w.ledger.seal();
    expect(w.ledger.verifyChain().ok).toBe(true);
  });

  it('a FHIR Bundle: the whole Bundle for a clinician, two fields of one entry for an insurer', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: { resourceType: 'Patient', id: 'p-alice', birthDate: '1961-04-02', gender: 'female' } },
        {
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'Troponin I' },
            valueQuantity: { value: 0.02, unit: 'ng/mL' },
          },
        },
      ],
    };
    const p = await w.hospital.publish({ patient: 'p-alice', record: bundle, policy: POLICY });
    await w.patient.grant({ recordId: p.recordId, to: { policy: 'dept:cardiology' } });
    const doc = await w.requester('dr-bundle', ['dept:cardiology', 'role:nurse']);
    expect((await doc.access({ recordId: p.recordId, purpose: 'TREAT' })).record).toEqual(bundle);
    const ins = await w.requester('insurer-bundle', ['org:insurer']);
    const g = await w.patient.grant({
      recordId: p.recordId,
      to: { requester: 'insurer-bundle' },
      fields: ['/entry/1/resource/code', '/entry/1/resource/valueQuantity'],
    });
    const { record, report } = await ins.access({
      recordId: p.recordId,
      purpose: 'HPAYMT',
      presentation: g.presentation as string,
    });
    expect(record).toEqual({
      entry: [{ resource: { code: { text: 'Troponin I' }, valueQuantity: { value: 0.02, unit: 'ng/mL' } } }],
    });
    expect(report.disclosedFields).toEqual([
      '/entry/1/resource/code/text',
      '/entry/1/resource/valueQuantity/unit',
      '/entry/1/resource/valueQuantity/value',
    ]);
  });

  it('concurrent publications for one patient keep a consistent per-patient hash chain', async () => {
    const other = new Hospital({ id: 'st-luke', ledger: w.ledger, store: w.store, publicKey: w.authority.publicKey });
    await w.authority.registerHospital(w.ledger, other.identity);
    const before = (await w.patient.records()).length;
    const results = await Promise.all([
      ...[1, 2, 3].map((i) =>
        w.hospital.publish({ patient: 'p-alice', record: { resourceType: 'Basic', i }, policy: POLICY }),
      ),
      ...[4, 5].map((i) => other.publish({ patient: 'p-alice', record: { resourceType: 'Basic', i }, policy: POLICY })),
    ]);
    const records = await w.patient.records();
    expect(records.length).toBe(before + results.length);
    for (let i = 1; i < records.length; i++) {
      expect(records[i]?.previous).toBe(toBase64url(recordDigest(records[i - 1]!)));
    }
  });

  it('a custodian named by the patient grants and revokes; others cannot', async () => {
    const parentKey = generateSigningKey();
    await w.authority.enroll(w.ledger, { id: 'p-parent', attributes: ['rel:parent'], publicKey: parentKey.publicKey });
    const parent = new Custodian({ id: 'p-parent', ledger: w.ledger, secretKey: parentKey.secretKey });
    const doc = await w.requester('dr-cust', ['dept:cardiology', 'role:doctor']);
    await expectRefused(parent.grant({ recordId, to: { requester: 'dr-cust' } }), 'grant', 'UNAUTHORIZED_SIGNER');
    await w.patient.addCustodian('p-parent');
    const grantId = await parent.grant({ recordId, to: { requester: 'dr-cust' }, purposes: ['TREAT'] });
    expect((await doc.access({ recordId, purpose: 'TREAT' })).record).toEqual(observation);
    await parent.revoke(grantId);
    await w.patient.removeCustodian('p-parent');
    await expectRefused(parent.grant({ recordId, to: { requester: 'dr-cust' } }), 'grant', 'UNAUTHORIZED_SIGNER');
    expect((await w.patient.auditLog()).some((e) => e.kind === 'custodian-added' && e.actor === 'p-alice')).toBe(true);
  });

  it('bad arguments get typed errors naming them', async () => {
    const r = await w.requester('dr-args', ['role:doctor']);
    await expect(r.access({ recordId, purpose: 'SHOPPING' as 'TREAT' })).rejects.toThrow(InvalidArgumentError);
    await expect(r.access(null as never)).rejects.toThrow('"request" expected object');
    await expect(w.hospital.publish({ patient: 'bad id', record: {}, policy: 'a' })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(w.hospital.publish({ patient: 'p-alice', record: {}, policy: 'a and (' })).rejects.toThrow(/column/);
    await expect(w.hospital.publish({ patient: 'p-alice', record: {}, policy: 'a) or (b' })).rejects.toThrow(/column/);
    await expectRefused(
      w.hospital.publish({ patient: 'p-nobody', record: {}, policy: 'a' }),
      'publish',
      'UNKNOWN_PATIENT',
    );
    await expect(w.patient.grant({ recordId, to: { requester: 'dr-args' }, fields: [] })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(r.access({ recordId: 'nope', purpose: 'TREAT' })).rejects.toThrow(InvalidArgumentError);
    await expectRefused(r.access({ recordId: 'AAAAAAAAAAAAAAAAAAAAAA', purpose: 'TREAT' }), 'access', 'UNKNOWN_RECORD');
  });
});

function tamperedLedger(
  base: Ledger,
  alter: (
    r: NonNullable<Awaited<ReturnType<Ledger['getRecord']>>>,
  ) => Promise<NonNullable<Awaited<ReturnType<Ledger['getRecord']>>>>,
): Ledger {
  return new Proxy(base, {
    get(target, prop, receiver) {
      if (prop === 'getRecord') {
        return async (id: string) => {
          const r = await target.getRecord(id);
          return r === undefined ? r : alter(r);
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
