/**
 * The protocol roles (Authority, Hospital, Patient, Custodian, Requester) run unchanged on
 * `EvmLedger`: the whole BPDS flow with the permission contract on a real anvil node.
 */
import { describe, expect, it } from 'vitest';
import { init } from '../../src/index.js';
import { generateSigningKey } from '../../src/index-record/index.js';
import {
  Authority,
  Custodian,
  Hospital,
  MemoryBlobStore,
  Patient,
  Requester,
  toAuditEntries,
} from '../../src/protocol/index.js';
import { observation } from '../protocol-helpers.js';
import { evmBackend } from './fixture.js';

const evm = evmBackend();

describe.skipIf(evm.skip !== undefined)('protocol roles on EvmLedger', () => {
  it('publish, grant by policy, field-limited grant, custodian, revocation, break-glass, audit', async () => {
    await init();
    const authority = Authority.create();
    const { ledger } = await evm.create({ chainId: 'bpds-evm-e2e', authorities: [authority.genesis] });
    const store = new MemoryBlobStore();
    const hospital = new Hospital({ id: 'st-mary', ledger, store, publicKey: authority.publicKey });
    await authority.registerHospital(ledger, hospital.identity);
    const patientSecret = generateSigningKey().secretKey;
    const patient = new Patient({
      id: 'p-alice',
      ledger,
      store,
      publicKey: authority.publicKey,
      key: authority.issueKey({ id: 'p-alice' }),
      secretKey: patientSecret,
    });
    await patient.register(hospital.attestPatient(patient.identity));
    const enroll = async (id: string, attributes: string[], emergency = false) => {
      const k = generateSigningKey();
      const key = await authority.enroll(ledger, {
        id,
        attributes,
        publicKey: k.publicKey,
        ...(emergency ? { emergency } : {}),
      });
      return { requester: new Requester({ id, ledger, store, key, secretKey: k.secretKey }), secret: k.secretKey };
    };
    const { requester: doctor } = await enroll('dr-chen', ['dept:cardiology', 'role:doctor']);
    const { requester: nurse } = await enroll('nurse-ito', ['dept:oncology', 'role:nurse']);
    const { requester: insurer } = await enroll('insurer-7', ['org:insurer']);
    const { requester: er } = await enroll('dr-okafor', ['dept:emergency', 'role:doctor'], true);
    const { secret: parentSecret } = await enroll('parent-1', ['family:parent']);

    const published = await hospital.publish({
      patient: patient.id,
      record: observation,
      policy: 'dept:cardiology and role:doctor or dept:emergency and role:doctor',
    });
    expect(await ledger.getRecord(published.recordId)).toEqual(published.indexRecord);

    await patient.grant({ recordId: published.recordId, to: { policy: 'dept:cardiology' }, purposes: ['TREAT'] });
    const read = await doctor.access({ recordId: published.recordId, purpose: 'TREAT' });
    expect(read.record).toEqual(JSON.parse(JSON.stringify(observation)));
    expect(read.report.access.reason).toBe('GRANTED');

    await expect(nurse.access({ recordId: published.recordId, purpose: 'TREAT' })).rejects.toMatchObject({
      step: 'access',
      reason: 'NO_MATCHING_GRANT',
    });

    const g = await patient.grant({
      recordId: published.recordId,
      to: { requester: insurer.id },
      fields: ['/code', '/valueQuantity'],
      purposes: ['HPAYMT'],
    });
    const claim = await insurer.access({
      recordId: published.recordId,
      purpose: 'HPAYMT',
      presentation: g.presentation as string,
    });
    expect(Object.keys(claim.record as object).sort()).toEqual(['code', 'valueQuantity']);

    await patient.addCustodian('parent-1');
    const parent = new Custodian({ id: 'parent-1', ledger, secretKey: parentSecret });
    const byParent = await parent.grant({
      recordId: published.recordId,
      to: { requester: er.id },
      purposes: ['CAREMGT'],
    });
    expect((await patient.grants(published.recordId)).find((x) => x.grantId === byParent)?.grantedBy).toBe('parent-1');
    expect((await er.access({ recordId: published.recordId, purpose: 'CAREMGT' })).report.access.grantId).toBe(
      byParent,
    );
    await parent.revoke(byParent);
    await patient.removeCustodian('parent-1');
    expect(await ledger.getCustodians(patient.id)).toEqual([]);

    await patient.revoke(g.grantId);
    await expect(
      insurer.access({ recordId: published.recordId, purpose: 'HPAYMT', presentation: g.presentation as string }),
    ).rejects.toMatchObject({ step: 'access', reason: 'NO_MATCHING_GRANT' });

    const emergency = await er.access({ recordId: published.recordId, purpose: 'ETREAT' });
    expect(emergency.report.access.reason).toBe('BREAK_GLASS');

    const log = toAuditEntries(await ledger.getAuditLog(patient.id));
    expect(log.some((e) => e.kind === 'break-glass' && e.actor === 'dr-okafor')).toBe(true);
    expect(log.some((e) => e.kind === 'access-denied' && e.actor === 'nurse-ito')).toBe(true);
    expect(log.filter((e) => e.kind === 'revoked')).toHaveLength(2);
    expect(log.some((e) => e.kind === 'granted' && e.actor === 'parent-1')).toBe(true);
    expect(await patient.auditLog()).toEqual(log);
  });
});
