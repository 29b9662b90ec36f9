// Issue 12, finding 8: the ledger's audit trail records what actually happened.
// (a) a field-limited grant used for a whole-record read is a refusal (PRESENTATION_REQUIRED);
// (b) removing a custodian revokes the grants it made;
// (c) patient registration needs an attestation by a registered hospital or an authority.
import { beforeAll, describe, expect, it } from 'vitest';
import { attestPatient, createTransaction, type LedgerEvent } from '../src/chain/index.js';
import { LedgerError } from '../src/errors.js';
import { generateSigningKey } from '../src/index-record/index.js';
import { toBase64url } from '../src/internal/bytes.js';
import { Custodian, Patient } from '../src/protocol/index.js';
import { actor, CHAIN, patientBody, publish, tx, world } from './chain-fixture.js';
import { expectRefused, makeWorld, observation, type World } from './protocol-helpers.js';

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LedgerError) return e.reason;
    throw e;
  }
  throw new Error('expected a LedgerError');
}

describe('(a) a field-limited grant never grants a whole-record read', () => {
  it('contract: the whole-record request is decided as a refusal with its reason, and logged as one', async () => {
    const w = await world();
    const r = await publish(w);
    await w.ledger.submit(
      tx(w.patient, 'grantAccess', {
        recordId: r.recordId,
        grantee: { requester: w.doctor.id },
        fields: ['/code'],
        purposes: ['TREAT'],
      }),
    );
    const rc = await w.ledger.submit(tx(w.doctor, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT' }));
    expect(rc.decision).toMatchObject({ granted: false, reason: 'PRESENTATION_REQUIRED' });
    expect(rc.decision).not.toHaveProperty('grantId');
    expect(rc.decision).not.toHaveProperty('fields');
    const logged = (await w.ledger.getAuditLog(w.patient.id)).filter((e) => e.type === 'AccessDecided');
    expect(logged.map((e) => [e.decision?.granted, e.decision?.reason])).toEqual([[false, 'PRESENTATION_REQUIRED']]);
    // Asking for granted fields is granted; for any other field, refused.
    const ok = await w.ledger.submit(
      tx(w.doctor, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT', fields: ['/code'] }),
    );
    expect(ok.decision).toMatchObject({ granted: true, reason: 'GRANTED', fields: ['/code'] });
    const no = await w.ledger.submit(
      tx(w.doctor, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT', fields: ['/note'] }),
    );
    expect(no.decision).toMatchObject({ granted: false, reason: 'NO_MATCHING_GRANT' });
    // A field-limited grant for another purpose says nothing about this one.
    const other = await w.ledger.submit(tx(w.doctor, 'requestAccess', { recordId: r.recordId, purpose: 'HPAYMT' }));
    expect(other.decision?.reason).toBe('NO_MATCHING_GRANT');
    // A later whole-record grant answers the whole-record request.
    await w.ledger.submit(tx(w.patient, 'grantAccess', { recordId: r.recordId, grantee: { requester: w.doctor.id } }));
    const full = await w.ledger.submit(tx(w.doctor, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT' }));
    expect(full.decision).toMatchObject({ granted: true, reason: 'GRANTED' });
    expect(full.decision).not.toHaveProperty('fields');
  });

  describe('protocol', () => {
    let w: World;
    let recordId: string;
    beforeAll(async () => {
      w = await makeWorld();
      recordId = (await w.hospital.publish({ patient: 'p-alice', record: observation, policy: 'dept:cardiology' }))
        .recordId;
    });

    it("the insurer's refused full read shows as access-denied (PRESENTATION_REQUIRED) in the patient's log", async () => {
      const insurer = await w.requester('insurer-7', ['org:insurer']);
      const g = await w.patient.grant({
        recordId,
        to: { requester: 'insurer-7' },
        fields: ['/code'],
        purposes: ['HPAYMT'],
      });
      await expectRefused(insurer.access({ recordId, purpose: 'HPAYMT' }), 'access', 'PRESENTATION_REQUIRED');
      const read = await insurer.access({ recordId, purpose: 'HPAYMT', presentation: g.presentation as string });
      expect(read.report.access.grantId).toBe(g.grantId);
      const decisions = (await w.patient.auditLog()).filter((e) => e.kind.startsWith('access-'));
      expect(decisions.map((e) => [e.kind, e.reason, e.actor])).toEqual([
        ['access-denied', 'PRESENTATION_REQUIRED', 'insurer-7'],
        ['access-granted', 'GRANTED', 'insurer-7'],
      ]);
    });

    it('a presentation holder with an earlier whole-record grant for another purpose reads its presentation', async () => {
      const r = await w.requester('researcher-1', ['org:lab']);
      await w.patient.grant({ recordId, to: { requester: 'researcher-1' }, purposes: ['TREAT'] });
      const g = await w.patient.grant({ recordId, to: { requester: 'researcher-1' }, fields: ['/code'] });
      const read = await r.access({ recordId, purpose: 'HRESCH', presentation: g.presentation as string });
      expect(read.report).toMatchObject({ source: 'presentation', grantedFields: ['/code'] });
    });
  });
});

describe('(b) removing a custodian revokes the grants it made', () => {
  it('contract: live grants by the custodian are revoked (one AccessRevoked each, naming it); others stay', async () => {
    const w = await world();
    const r1 = await publish(w, 1);
    const r2 = await publish(w, 2);
    await w.ledger.submit(tx(w.patient, 'addCustodian', { patient: w.patient.id, custodian: w.parent.id }));
    const byParent = (rid: string) =>
      w.ledger.submit(tx(w.parent, 'grantAccess', { recordId: rid, grantee: { requester: w.doctor.id } }));
    const g1 = await byParent(r1.recordId);
    const g2 = await byParent(r2.recordId);
    const g3 = await byParent(r2.recordId);
    await w.ledger.submit(tx(w.parent, 'revokeAccess', { grantId: g3.txId })); // already revoked: no second event
    const own = await w.ledger.submit(
      tx(w.patient, 'grantAccess', { recordId: r1.recordId, grantee: { requester: w.nurse.id } }),
    );
    w.clock.t += 60_000;
    const rc = await w.ledger.submit(
      tx(w.patient, 'removeCustodian', { patient: w.patient.id, custodian: w.parent.id }),
    );
    expect(rc.events.map((e: LedgerEvent) => [e.type, e.grantId, e.party])).toEqual([
      ['CustodianRemoved', undefined, w.parent.id],
      ['AccessRevoked', g1.txId, w.parent.id],
      ['AccessRevoked', g2.txId, w.parent.id],
    ]);
    const grants = [...(await w.ledger.getPermissions(r1.recordId)), ...(await w.ledger.getPermissions(r2.recordId))];
    const at = (id: string) => grants.find((g) => g.grantId === id)?.revokedAt;
    expect(at(g1.txId)).toBe('2026-11-24T20:01:00Z');
    expect(at(g2.txId)).toBe('2026-11-24T20:01:00Z');
    expect(at(g3.txId)).toBe('2026-11-24T20:00:00Z');
    expect(at(own.txId)).toBeUndefined();
    const req = await w.ledger.submit(tx(w.doctor, 'requestAccess', { recordId: r1.recordId, purpose: 'TREAT' }));
    expect(req.decision?.granted).toBe(false);
    // The audit log and a replay agree.
    const kinds = (await w.ledger.getAuditLog(w.patient.id)).filter((e) => e.txId === rc.txId).map((e) => e.type);
    expect(kinds).toEqual(['CustodianRemoved', 'AccessRevoked', 'AccessRevoked']);
  });

  it('protocol: the patient removes a custodian and its grant stops working', async () => {
    const w = await makeWorld();
    const { recordId } = await w.hospital.publish({
      patient: 'p-alice',
      record: observation,
      policy: 'dept:cardiology',
    });
    const parentKey = generateSigningKey();
    await w.authority.enroll(w.ledger, { id: 'p-parent', attributes: ['rel:parent'], publicKey: parentKey.publicKey });
    const parent = new Custodian({ id: 'p-parent', ledger: w.ledger, secretKey: parentKey.secretKey });
    const doc = await w.requester('dr-chen', ['dept:cardiology']);
    await w.patient.addCustodian('p-parent');
    const grantId = await parent.grant({ recordId, to: { requester: 'dr-chen' } });
    expect((await doc.access({ recordId, purpose: 'TREAT' })).record).toEqual(observation);
    await w.patient.removeCustodian('p-parent');
    await expectRefused(doc.access({ recordId, purpose: 'TREAT' }), 'access', 'NO_MATCHING_GRANT');
    const log = await w.patient.auditLog();
    expect(log.filter((e) => e.kind === 'revoked').map((e) => [e.grantId, e.actor])).toEqual([[grantId, 'p-alice']]);
  });
});

describe('(c) patient registration is bound to an attestation', () => {
  it('contract: accepts a registered hospital or authority attestation, refuses anything else', async () => {
    const w = await world();
    const p = actor('patient-new');
    const body = (attester: { id: string; key: { secretKey: Uint8Array } }, chain = CHAIN, id = p.id) => ({
      id: p.id,
      publicKey: p.key.publicKey,
      attestation: attestPatient(
        chain,
        { id, publicKey: p.key.publicKey },
        { id: attester.id, secretKey: attester.key.secretKey },
      ),
    });
    // By a requester, a patient, an unknown party: refused.
    for (const who of [w.doctor, w.parent, actor('hospital-x')]) {
      expect(await reason(w.ledger.submit(tx(p, 'registerPatient', body(who))))).toBe('INVALID_ATTESTATION');
    }
    // Signed by someone else than the named attester, for another chain, for another id or key: refused.
    expect(
      await reason(w.ledger.submit(tx(p, 'registerPatient', body({ id: w.hospital.id, key: w.doctor.key })))),
    ).toBe('INVALID_ATTESTATION');
    expect(await reason(w.ledger.submit(tx(p, 'registerPatient', body(w.hospital, 'other-chain'))))).toBe(
      'INVALID_ATTESTATION',
    );
    expect(await reason(w.ledger.submit(tx(p, 'registerPatient', body(w.hospital, CHAIN, 'patient-1'))))).toBe(
      'INVALID_ATTESTATION',
    );
    const q = actor('patient-q');
    const forQ = patientBody(q, w.hospital);
    expect(
      await reason(w.ledger.submit(tx(p, 'registerPatient', { ...body(w.hospital), attestation: forQ.attestation }))),
    ).toBe('INVALID_ATTESTATION');
    expect(await w.ledger.getParty(p.id)).toBeUndefined();
    // Missing attestation: not a well-formed transaction.
    expect(() =>
      createTransaction(
        CHAIN,
        p.id,
        'registerPatient',
        { id: p.id, publicKey: p.key.publicKey } as never,
        p.key.secretKey,
      ),
    ).toThrow(/"body.attestation" is missing/);
    // A hospital's attestation, or an authority's, registers the patient.
    await w.ledger.submit(tx(p, 'registerPatient', body(w.hospital)));
    expect((await w.ledger.getParty(p.id))?.role).toBe('patient');
    await w.ledger.submit(tx(q, 'registerPatient', patientBody(q, w.authority)));
    expect((await w.ledger.getParty(q.id))?.role).toBe('patient');
  });

  it("protocol: an impostor cannot take a patient's pseudonym without the hospital's attestation", async () => {
    const w = await makeWorld();
    const mk = (id: string) =>
      new Patient({
        id,
        ledger: w.ledger,
        store: w.store,
        publicKey: w.authority.publicKey,
        key: w.authority.issueKey({ id }),
      });
    const bob = mk('p-bob');
    const impostor = mk('p-bob');
    // The impostor replays an attestation made for Bob's key, or one made for another pseudonym.
    const forBob = w.hospital.attestPatient(bob.identity);
    await expectRefused(impostor.register(forBob), 'grant', 'INVALID_ATTESTATION');
    const carol = mk('p-carol');
    await expectRefused(impostor.register(w.hospital.attestPatient(carol.identity)), 'grant', 'INVALID_ATTESTATION');
    // A forged signature.
    await expectRefused(
      impostor.register({ by: 'st-mary', sig: toBase64url(new Uint8Array(64)) }),
      'grant',
      'INVALID_ATTESTATION',
    );
    await bob.register(forBob);
    expect((await w.ledger.getParty('p-bob'))?.publicKey).toBe(bob.identity.publicKey);
    await carol.register(w.authority.attestPatient(w.ledger, carol.identity));
    expect((await w.ledger.getParty('p-carol'))?.role).toBe('patient');
  });
});
