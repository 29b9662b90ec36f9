/**
 * One conformance suite for the `Ledger` interface, run against `MemoryLedger` and `EvmLedger`
 * (the Solidity permission contract on a real anvil node): every registration, publication,
 * anchor, custodian, grant, refusal, revocation, expiry, purpose, field, policy, break-glass and
 * audit case, with the same reasons and the same values on both.
 */
import { describe, expect, it } from 'vitest';
import {
  createTransaction,
  type LedgerEvent,
  MAX_CUSTODIAN_GRANTS,
  type SignedTransaction,
  type TxBodies,
  type TxType,
} from '../src/chain/index.js';
import { LedgerError } from '../src/errors.js';
import { merkleRoot, recordDigest, signRecord } from '../src/index-record/index.js';
import { formatTimestamp } from '../src/index-record/internal/fields.js';
import { toBase64url } from '../src/internal/bytes.js';
import { type Actor, actor, makeRecord, patientBody } from './chain-fixture.js';
import { type Backend, evmBackend, memoryBackend, type TestLedger } from './evm/fixture.js';

const CHAIN = 'bpds-conformance';
const backends: Backend[] = [memoryBackend, evmBackend()];

const tx = <T extends TxType>(a: Actor, type: T, body: TxBodies[T], chain = CHAIN): SignedTransaction<T> =>
  createTransaction(chain, a.id, type, body, a.key.secretKey);
const pk = (a: Actor) => a.key.publicKey;

async function rejects(p: Promise<unknown>, reason: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(LedgerError);
  expect((e as LedgerError).reason).toBe(reason);
}

interface World extends TestLedger {
  authority: Actor;
  hospital: Actor;
  patient: Actor;
  doctor: Actor;
  nurse: Actor;
  er: Actor;
  parent: Actor;
}

async function world(b: Backend, breakGlassSeconds = 3600): Promise<World> {
  const authority = actor('ministry');
  const t = await b.create({
    chainId: CHAIN,
    authorities: [{ id: authority.id, publicKey: pk(authority) }],
    breakGlassSeconds,
  });
  const w: World = {
    ...t,
    authority,
    hospital: actor('hospital-1'),
    patient: actor('patient-1'),
    doctor: actor('dr-house'),
    nurse: actor('nurse-joy'),
    er: actor('er-doc'),
    parent: actor('parent-1'),
  };
  const l = w.ledger;
  await l.submit(tx(authority, 'registerHospital', { id: w.hospital.id, publicKey: pk(w.hospital) }));
  const reg = (a: Actor, attributes: string[], emergency?: boolean) =>
    l.submit(
      tx(authority, 'registerRequester', {
        id: a.id,
        publicKey: pk(a),
        attributes,
        ...(emergency === undefined ? {} : { emergency }),
      }),
    );
  await reg(w.doctor, ['role:doctor', 'dept:cardiology', 'clearance = 4']);
  await reg(w.nurse, ['role:nurse', 'dept:er']);
  await reg(w.er, ['role:doctor', 'dept:er'], true);
  await l.submit(tx(w.patient, 'registerPatient', patientBody(w.patient, w.hospital, CHAIN)));
  await l.submit(tx(w.parent, 'registerPatient', patientBody(w.parent, authority, CHAIN)));
  return w;
}

async function publish(w: World, n = 0, patient = w.patient.id) {
  const head = await w.ledger.getRecordHead(patient);
  const record = makeRecord(w.hospital, patient, head, n);
  await w.ledger.submit(tx(w.hospital, 'publishRecord', { record }));
  return record;
}

const grant = (w: World, recordId: string, body: Partial<TxBodies['grantAccess']> = {}, by = w.patient) =>
  w.ledger.submit(tx(by, 'grantAccess', { recordId, grantee: { requester: w.doctor.id }, ...body }));

const ask = async (
  w: World,
  recordId: string,
  who: Actor,
  purpose: TxBodies['requestAccess']['purpose'] = 'TREAT',
  fields?: string[],
) => (await w.ledger.submit(tx(who, 'requestAccess', { recordId, purpose, ...(fields ? { fields } : {}) }))).decision!;

describe.each(backends)('Ledger conformance: $name', (b) => {
  const test = b.skip === undefined ? it : it.skip;

  test('authorities register hospitals and requesters; parties read back', async () => {
    const w = await world(b);
    const h2 = actor('hospital-2');
    await rejects(
      w.ledger.submit(tx(w.hospital, 'registerHospital', { id: h2.id, publicKey: pk(h2) })),
      'UNAUTHORIZED_SIGNER',
    );
    await rejects(
      w.ledger.submit(tx(w.authority, 'registerHospital', { id: w.hospital.id, publicKey: pk(h2) })),
      'ALREADY_REGISTERED',
    );
    await rejects(w.ledger.submit(tx(h2, 'registerHospital', { id: h2.id, publicKey: pk(h2) })), 'UNKNOWN_ACTOR');
    await rejects(
      w.ledger.submit(tx(w.authority, 'registerRequester', { id: 'x', publicKey: pk(h2), attributes: ['a#b'] })),
      'INVALID_ATTRIBUTES',
    );
    expect(await w.ledger.getParty(w.er.id)).toEqual({
      id: w.er.id,
      role: 'requester',
      publicKey: pk(w.er),
      attributes: ['role:doctor', 'dept:er'],
      emergency: true,
    });
    expect(await w.ledger.getParty(w.hospital.id)).toEqual({
      id: w.hospital.id,
      role: 'hospital',
      publicKey: pk(w.hospital),
      attributes: [],
      emergency: false,
    });
    expect((await w.ledger.getParty(w.authority.id))?.role).toBe('authority');
    expect(await w.ledger.getParty('nobody')).toBeUndefined();
  });

  test('patients register themselves only, with their own key', async () => {
    const w = await world(b);
    const p = actor('p-new');
    const q = actor('q-new');
    await rejects(
      w.ledger.submit(tx(p, 'registerPatient', { ...patientBody(p, w.hospital, CHAIN), publicKey: pk(q) })),
      'UNAUTHORIZED_SIGNER',
    );
    await rejects(
      w.ledger.submit(tx(p, 'registerPatient', { ...patientBody(p, w.hospital, CHAIN), id: q.id })),
      'UNAUTHORIZED_SIGNER',
    );
    await rejects(
      w.ledger.submit(tx(p, 'registerPatient', { ...patientBody(p, w.hospital, CHAIN), id: w.patient.id })),
      'UNAUTHORIZED_SIGNER',
    );
    const rc = await w.ledger.submit(tx(p, 'registerPatient', patientBody(p, w.hospital, CHAIN)));
    expect(rc.events).toMatchObject([{ type: 'PartyRegistered', party: p.id, patient: p.id, actor: p.id }]);
    await rejects(w.ledger.submit(tx(p, 'registerPatient', patientBody(p, w.hospital, CHAIN))), 'ALREADY_REGISTERED');
    expect((await w.ledger.getParty(p.id))?.role).toBe('patient');
  });

  test('patient registration needs a hospital or authority attestation', async () => {
    const w = await world(b);
    const p = actor('p-att');
    const reg = (body: TxBodies['registerPatient']) => w.ledger.submit(tx(p, 'registerPatient', body));
    await rejects(reg(patientBody(p, w.doctor, CHAIN)), 'INVALID_ATTESTATION');
    await rejects(reg(patientBody(p, actor('hospital-9'), CHAIN)), 'INVALID_ATTESTATION');
    const forged = {
      ...patientBody(p, w.hospital, CHAIN),
      attestation: { ...patientBody(p, w.er, CHAIN).attestation, by: w.hospital.id },
    };
    await rejects(reg(forged), 'INVALID_ATTESTATION');
    await rejects(reg(patientBody(p, w.hospital, 'other-chain')), 'INVALID_ATTESTATION');
    await rejects(reg({ ...patientBody(p, w.hospital, CHAIN), id: w.patient.id }), 'UNAUTHORIZED_SIGNER');
    await reg(patientBody(p, w.authority, CHAIN));
    expect((await w.ledger.getParty(p.id))?.role).toBe('patient');
  });

  test('registered keys must be Ed25519 points of prime order', async () => {
    const w = await world(b);
    const identity = toBase64url(Uint8Array.of(1, ...new Uint8Array(31)));
    await rejects(
      w.ledger.submit(tx(w.authority, 'registerHospital', { id: 'h-bad', publicKey: identity })),
      'INVALID_KEY',
    );
    await rejects(
      w.ledger.submit(tx(w.authority, 'registerRequester', { id: 'r-bad', publicKey: identity, attributes: ['a#b'] })),
      'INVALID_KEY',
    );
    await rejects(
      w.ledger.submit(tx(w.authority, 'registerHospital', { id: w.hospital.id, publicKey: identity })),
      'ALREADY_REGISTERED',
    );
    await rejects(
      w.ledger.submit(tx(actor('x'), 'registerHospital', { id: 'h-bad', publicKey: identity })),
      'UNKNOWN_ACTOR',
    );
    expect(await w.ledger.getParty('h-bad')).toBeUndefined();
  });

  test('a hospital publishes a per-patient hash chain of index records', async () => {
    const w = await world(b);
    const r1 = await publish(w, 1);
    const r2 = await publish(w, 2);
    expect(r2.previous).toBe(toBase64url(recordDigest(r1)));
    expect(await w.ledger.getRecord(r1.recordId)).toEqual(r1);
    expect(await w.ledger.listRecords(w.patient.id)).toEqual([r1, r2]);
    expect(await w.ledger.getRecordHead(w.patient.id)).toBe(toBase64url(recordDigest(r2)));
    expect(await w.ledger.getRecord(toBase64url(new Uint8Array(16)))).toBeUndefined();
    expect(await w.ledger.getRecord('not-an-id')).toBeUndefined();
    expect(await w.ledger.listRecords(w.parent.id)).toEqual([]);
    const kw = signRecord(
      { ...makeRecord(w.hospital, w.parent.id, undefined, 9), keywords: ['x', 'y'] },
      w.hospital.key.secretKey,
    );
    await w.ledger.submit(tx(w.hospital, 'publishRecord', { record: kw }));
    expect(await w.ledger.getRecord(kw.recordId)).toEqual(kw);
  });

  test('publication refusals: wrong signer, forged record, unknown patient, duplicate, broken chain', async () => {
    const w = await world(b);
    const r1 = await publish(w, 1);
    const head = await w.ledger.getRecordHead(w.patient.id);
    const h2 = actor('hospital-2');
    await w.ledger.submit(tx(w.authority, 'registerHospital', { id: h2.id, publicKey: pk(h2) }));
    await rejects(
      w.ledger.submit(tx(h2, 'publishRecord', { record: makeRecord(w.hospital, w.patient.id, head, 3) })),
      'UNAUTHORIZED_SIGNER',
    );
    const forged = makeRecord(w.hospital, w.patient.id, head, 4);
    const byH2 = makeRecord(h2, w.patient.id, head, 4);
    await rejects(
      w.ledger.submit(tx(w.hospital, 'publishRecord', { record: { ...forged, signature: byH2.signature } })),
      'INVALID_RECORD',
    );
    const { signature: _s, ...unsigned } = forged;
    const otherKey = signRecord(
      { ...unsigned, hospital: { ...forged.hospital, keyFingerprint: byH2.hospital.keyFingerprint } },
      h2.key.secretKey,
    );
    await rejects(w.ledger.submit(tx(w.hospital, 'publishRecord', { record: otherKey })), 'INVALID_RECORD');
    await rejects(
      w.ledger.submit(tx(w.doctor, 'publishRecord', { record: makeRecord(w.hospital, w.patient.id, head, 5) })),
      'UNAUTHORIZED_SIGNER',
    );
    await rejects(
      w.ledger.submit(tx(w.hospital, 'publishRecord', { record: makeRecord(w.hospital, 'nobody', undefined, 6) })),
      'UNKNOWN_PATIENT',
    );
    await rejects(w.ledger.submit(tx(w.hospital, 'publishRecord', { record: r1 })), 'DUPLICATE_RECORD');
    await rejects(
      w.ledger.submit(tx(w.hospital, 'publishRecord', { record: makeRecord(w.hospital, w.patient.id, undefined, 7) })),
      'BROKEN_RECORD_CHAIN',
    );
    const wrong = toBase64url(new Uint8Array(32).fill(1));
    await rejects(
      w.ledger.submit(tx(w.hospital, 'publishRecord', { record: makeRecord(w.hospital, w.patient.id, wrong, 8) })),
      'BROKEN_RECORD_CHAIN',
    );
    await rejects(
      w.ledger.submit(tx(w.hospital, 'publishRecord', { record: makeRecord(w.hospital, w.parent.id, wrong, 8) })),
      'BROKEN_RECORD_CHAIN',
    );
    expect(await w.ledger.listRecords(w.patient.id)).toEqual([r1]);
  });

  test('hospitals anchor batches by Merkle root', async () => {
    const w = await world(b);
    const records = [await publish(w, 1), await publish(w, 2), await publish(w, 3)];
    const root = toBase64url(merkleRoot(records.map((r) => recordDigest(r))));
    const rc = await w.ledger.submit(tx(w.hospital, 'anchorRecords', { root, count: 3 }));
    expect(rc.events).toEqual([]);
    expect(await w.ledger.getAnchor(root)).toMatchObject({ root, count: 3, hospital: w.hospital.id, txId: rc.txId });
    await rejects(w.ledger.submit(tx(w.hospital, 'anchorRecords', { root, count: 5 })), 'DUPLICATE_ANCHOR');
    const other = toBase64url(new Uint8Array(32).fill(9));
    await rejects(w.ledger.submit(tx(w.doctor, 'anchorRecords', { root: other, count: 1 })), 'UNAUTHORIZED_SIGNER');
    expect(await w.ledger.getAnchor(other)).toBeUndefined();
  });

  test('custodians: only the patient names and removes them; they grant and revoke', async () => {
    const w = await world(b);
    const r = await publish(w);
    const add = (by: Actor, custodian: string) =>
      w.ledger.submit(tx(by, 'addCustodian', { patient: w.patient.id, custodian }));
    await rejects(add(w.parent, w.parent.id), 'UNAUTHORIZED_SIGNER');
    await rejects(add(w.patient, w.hospital.id), 'UNKNOWN_PARTY');
    await rejects(add(w.patient, 'nobody'), 'UNKNOWN_PARTY');
    await rejects(add(w.patient, w.patient.id), 'INVALID_CUSTODIAN');
    await add(w.patient, w.parent.id);
    await rejects(add(w.patient, w.parent.id), 'ALREADY_CUSTODIAN');
    await add(w.patient, w.nurse.id);
    expect(await w.ledger.getCustodians(w.patient.id)).toEqual([w.parent.id, w.nurse.id]);
    const g = await grant(w, r.recordId, {}, w.parent);
    expect((await w.ledger.getPermissions(r.recordId))[0]?.grantedBy).toBe(w.parent.id);
    await rejects(w.ledger.submit(tx(w.doctor, 'revokeAccess', { grantId: g.txId })), 'UNAUTHORIZED_SIGNER');
    await w.ledger.submit(tx(w.parent, 'revokeAccess', { grantId: g.txId }));
    await rejects(w.ledger.submit(tx(w.patient, 'revokeAccess', { grantId: g.txId })), 'ALREADY_REVOKED');
    // Removing a custodian revokes every live grant it made (not the patient's, not another custodian's).
    const r2 = await publish(w, 1);
    const live1 = await grant(w, r.recordId, { purposes: ['TREAT'] }, w.parent);
    const live2 = await grant(w, r2.recordId, {}, w.parent);
    const own = await grant(w, r.recordId, {}, w.patient);
    const byNurse = await grant(w, r2.recordId, { grantee: { requester: w.er.id } }, w.nurse);
    const rm = await w.ledger.submit(
      tx(w.patient, 'removeCustodian', { patient: w.patient.id, custodian: w.parent.id }),
    );
    expect(rm.events.map((e) => [e.type, e.grantId, e.party])).toEqual([
      ['CustodianRemoved', undefined, w.parent.id],
      ['AccessRevoked', live1.txId, w.parent.id],
      ['AccessRevoked', live2.txId, w.parent.id],
    ]);
    expect(rm.events.every((e) => e.txId === rm.txId && e.seq === rm.seq && e.actor === w.patient.id)).toBe(true);
    const all = [...(await w.ledger.getPermissions(r.recordId)), ...(await w.ledger.getPermissions(r2.recordId))];
    const revoked = (id: string) => all.find((x) => x.grantId === id)?.revokedAt !== undefined;
    expect([live1, live2, own, byNurse].map((x) => revoked(x.txId))).toEqual([true, true, false, false]);
    expect(await w.ledger.getCustodians(w.patient.id)).toEqual([w.nurse.id]);
    await rejects(
      w.ledger.submit(tx(w.patient, 'removeCustodian', { patient: w.patient.id, custodian: w.parent.id })),
      'NOT_CUSTODIAN',
    );
    await rejects(grant(w, r.recordId, {}, w.parent), 'UNAUTHORIZED_SIGNER');
    expect(await w.ledger.getCustodians(w.parent.id)).toEqual([]);
  });

  test(`a custodian holds at most ${MAX_CUSTODIAN_GRANTS} live grants per patient, so its removal is bounded work`, async () => {
    const w = await world(b);
    const r = await publish(w);
    const custodian = { patient: w.patient.id, custodian: w.parent.id };
    await w.ledger.submit(tx(w.patient, 'addCustodian', custodian));
    const made: string[] = [];
    for (let i = 0; i < MAX_CUSTODIAN_GRANTS; i++) made.push((await grant(w, r.recordId, {}, w.parent)).txId);
    await rejects(grant(w, r.recordId, {}, w.parent), 'TOO_MANY_GRANTS');
    // The patient's own grants are not limited; revoking a custodian grant frees a place.
    const own = await grant(w, r.recordId, {}, w.patient);
    await w.ledger.submit(tx(w.patient, 'revokeAccess', { grantId: made[3] as string }));
    const again = await grant(w, r.recordId, {}, w.parent);
    await rejects(grant(w, r.recordId, {}, w.parent), 'TOO_MANY_GRANTS');
    const rm = await w.ledger.submit(tx(w.patient, 'removeCustodian', custodian));
    // Both ledgers keep the live list the same way (a revoked grant's place takes the last one).
    const order = [...made];
    order[3] = made[MAX_CUSTODIAN_GRANTS - 1] as string;
    order.pop();
    order.push(again.txId);
    expect(rm.events.filter((e) => e.type === 'AccessRevoked').map((e) => e.grantId)).toEqual(order);
    const grants = await w.ledger.getPermissions(r.recordId);
    expect(grants.filter((g) => g.revokedAt === undefined).map((g) => g.grantId)).toEqual([own.txId]);
    // Appointed again, the custodian starts from an empty list.
    await w.ledger.submit(tx(w.patient, 'addCustodian', custodian));
    await grant(w, r.recordId, {}, w.parent);
  }, 600_000);

  test('grant refusals: unknown record, grant or grantee, not the controller, bad policy, past expiry', async () => {
    const w = await world(b);
    const r = await publish(w);
    await rejects(grant(w, toBase64url(new Uint8Array(16))), 'UNKNOWN_RECORD');
    await rejects(grant(w, r.recordId, {}, w.parent), 'UNAUTHORIZED_SIGNER');
    await rejects(grant(w, r.recordId, {}, w.doctor), 'UNAUTHORIZED_SIGNER');
    await rejects(grant(w, r.recordId, { grantee: { requester: w.parent.id } }), 'UNKNOWN_PARTY');
    await rejects(grant(w, r.recordId, { grantee: { requester: 'nobody' } }), 'UNKNOWN_PARTY');
    await rejects(grant(w, r.recordId, { grantee: { policy: 'a and (' } }), 'INVALID_POLICY');
    const past = formatTimestamp((await w.now()) - 1000);
    await rejects(grant(w, r.recordId, { expiresAt: past }), 'EXPIRED');
    await rejects(
      w.ledger.submit(tx(w.patient, 'revokeAccess', { grantId: toBase64url(new Uint8Array(32)) })),
      'UNKNOWN_GRANT',
    );
    await rejects(
      w.ledger.submit(tx(w.doctor, 'requestAccess', { recordId: toBase64url(new Uint8Array(16)), purpose: 'TREAT' })),
      'UNKNOWN_RECORD',
    );
    await rejects(
      w.ledger.submit(tx(w.patient, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT' })),
      'UNAUTHORIZED_SIGNER',
    );
    expect(await w.ledger.getPermissions(r.recordId)).toEqual([]);
  });

  test('grants read back with fields, purposes, expiry and revocation', async () => {
    const w = await world(b);
    const r = await publish(w);
    const expiresAt = formatTimestamp((await w.now()) + 86_400_000 + 500);
    const g1 = await grant(w, r.recordId, { fields: ['/b', '/a'], purposes: ['TREAT', 'CAREMGT'], expiresAt });
    const g2 = await grant(w, r.recordId, { grantee: { policy: 'role:doctor  and dept:cardiology' }, fields: [] });
    await w.ledger.submit(tx(w.patient, 'revokeAccess', { grantId: g2.txId }));
    const [a, c] = await w.ledger.getPermissions(r.recordId);
    expect(a).toMatchObject({
      grantId: g1.txId,
      recordId: r.recordId,
      patient: w.patient.id,
      grantedBy: w.patient.id,
      grantee: { requester: w.doctor.id },
      fields: ['/b', '/a'],
      purposes: ['TREAT', 'CAREMGT'],
      expiresAt,
    });
    expect(a?.revokedAt).toBeUndefined();
    expect(Object.keys(a ?? {}).sort()).toEqual([
      'expiresAt',
      'fields',
      'grantId',
      'grantedAt',
      'grantedBy',
      'grantee',
      'patient',
      'purposes',
      'recordId',
    ]);
    expect(c).toMatchObject({ grantId: g2.txId, grantee: { policy: 'dept:cardiology and role:doctor' }, fields: [] });
    expect(typeof c?.revokedAt).toBe('string');
    expect(c?.purposes).toBeUndefined();
    expect(g1.events).toMatchObject([
      { type: 'AccessGranted', patient: w.patient.id, recordId: r.recordId, grantId: g1.txId },
    ]);
  });

  test('decides by requester, purpose, fields and expiry', async () => {
    const w = await world(b);
    const r = await publish(w);
    expect(await ask(w, r.recordId, w.doctor)).toMatchObject({ granted: false, reason: 'NO_MATCHING_GRANT' });
    const expiresAt = formatTimestamp((await w.now()) + 86_400_000);
    const g = await grant(w, r.recordId, { fields: ['/resourceType', '/diagnosis'], purposes: ['TREAT'], expiresAt });
    // A field-limited grant never answers a whole-record request: a logged refusal that says why.
    expect(await ask(w, r.recordId, w.doctor)).toMatchObject({ granted: false, reason: 'PRESENTATION_REQUIRED' });
    // ... and the patient's audit log records it as the refusal it was.
    expect((await w.ledger.getAuditLog(w.patient.id)).at(-1)).toMatchObject({
      type: 'AccessDecided',
      actor: w.doctor.id,
      decision: { granted: false, reason: 'PRESENTATION_REQUIRED', requester: w.doctor.id },
    });
    const d = await ask(w, r.recordId, w.doctor, 'TREAT', ['/diagnosis', '/resourceType']);
    expect(d).toMatchObject({
      granted: true,
      reason: 'GRANTED',
      grantId: g.txId,
      requester: w.doctor.id,
      recordId: r.recordId,
      purpose: 'TREAT',
      fields: ['/diagnosis', '/resourceType'],
      expiresAt,
    });
    expect((await ask(w, r.recordId, w.doctor, 'TREAT', ['/diagnosis'])).fields).toEqual(['/diagnosis']);
    expect((await ask(w, r.recordId, w.doctor, 'HRESCH', ['/diagnosis'])).reason).toBe('NO_MATCHING_GRANT');
    expect((await ask(w, r.recordId, w.doctor, 'TREAT', ['/ssn'])).granted).toBe(false);
    expect((await ask(w, r.recordId, w.doctor, 'HRESCH')).reason).toBe('NO_MATCHING_GRANT');
    expect((await ask(w, r.recordId, w.nurse)).granted).toBe(false);
    await w.advance(2 * 86_400);
    expect((await ask(w, r.recordId, w.doctor, 'TREAT', ['/diagnosis'])).reason).toBe('NO_MATCHING_GRANT');
    expect((await ask(w, r.recordId, w.doctor)).reason).toBe('NO_MATCHING_GRANT');
    // An unrestricted grant: whole record (no fields), any purpose, ETREAT included (not break-glass).
    const open = await grant(w, r.recordId);
    const e = await ask(w, r.recordId, w.doctor, 'ETREAT');
    expect(e).toMatchObject({ granted: true, reason: 'GRANTED', grantId: open.txId });
    expect(e.fields).toBeUndefined();
    expect(e.expiresAt).toBeUndefined();
    expect((await ask(w, r.recordId, w.doctor, 'TREAT', [])).fields).toEqual([]);
    expect((await ask(w, r.recordId, w.doctor, 'TREAT', ['/x'])).fields).toEqual(['/x']);
  });

  test('attribute-policy grants: and, or, thresholds, not, numeric comparisons', async () => {
    const w = await world(b);
    const r = await publish(w);
    const cases: [string, boolean[]][] = [
      ['role:doctor and dept:cardiology', [true, false, false]],
      ['dept:er or dept:cardiology', [true, true, true]],
      ['2 of (role:doctor, dept:er, role:nurse)', [false, true, true]],
      ['role:doctor and not dept:er', [true, false, false]],
      ['clearance >= 3', [true, false, false]],
      ['clearance#u32 < 4 or dept:er and role:nurse', [false, true, false]],
    ];
    for (const [policy, expected] of cases) {
      const g = await grant(w, r.recordId, { grantee: { policy }, purposes: ['HOPERAT'] });
      const got = [];
      for (const who of [w.doctor, w.nurse, w.er]) {
        const d = await ask(w, r.recordId, who, 'HOPERAT');
        got.push(d.granted && d.grantId === g.txId);
      }
      expect([policy, got]).toEqual([policy, expected]);
      await w.ledger.submit(tx(w.patient, 'revokeAccess', { grantId: g.txId }));
    }
  });

  test('revocation takes effect at once', async () => {
    const w = await world(b);
    const r = await publish(w);
    const g = await grant(w, r.recordId);
    expect((await ask(w, r.recordId, w.doctor)).granted).toBe(true);
    const rv = await w.ledger.submit(tx(w.patient, 'revokeAccess', { grantId: g.txId }));
    expect(rv.events).toMatchObject([
      { type: 'AccessRevoked', grantId: g.txId, recordId: r.recordId, patient: w.patient.id },
    ]);
    expect((await ask(w, r.recordId, w.doctor)).granted).toBe(false);
  });

  test('break-glass: emergency requesters only, time-limited, always logged', async () => {
    const w = await world(b, 600);
    const r = await publish(w);
    const events: LedgerEvent[] = [];
    const off = w.ledger.subscribe((e) => events.push(e));
    const denied = await ask(w, r.recordId, w.nurse, 'ETREAT');
    expect(denied).toMatchObject({ granted: false, reason: 'EMERGENCY_NOT_AUTHORIZED' });
    const rc = await w.ledger.submit(
      tx(w.er, 'requestAccess', { recordId: r.recordId, purpose: 'ETREAT', fields: ['/code'] }),
    );
    const ok = rc.decision!;
    expect(ok).toMatchObject({ granted: true, reason: 'BREAK_GLASS', requester: w.er.id, fields: ['/code'] });
    expect(Date.parse(ok.expiresAt!) - Date.parse(ok.decidedAt)).toBe(600_000);
    expect(rc.events.map((e) => e.type)).toEqual(['AccessDecided', 'BreakGlass']);
    expect(rc.events[1]?.decision).toEqual(ok);
    expect((await ask(w, r.recordId, w.er, 'TREAT')).reason).toBe('NO_MATCHING_GRANT');
    for (let i = 0; i < 100 && events.length < 3; i++) await new Promise((s) => setTimeout(s, 20));
    off();
    expect(events.map((e) => e.type).slice(0, 3)).toEqual(['AccessDecided', 'AccessDecided', 'BreakGlass']);
    const log = await w.ledger.getAuditLog(w.patient.id);
    expect(log.filter((e) => e.type === 'BreakGlass')).toHaveLength(1);
    expect(log.filter((e) => e.type === 'BreakGlass')[0]?.decision).toEqual(ok);
  });

  test('the audit log lists every event naming the patient, in order', async () => {
    const w = await world(b);
    const r = await publish(w);
    await w.ledger.submit(tx(w.patient, 'addCustodian', { patient: w.patient.id, custodian: w.parent.id }));
    const g = await grant(w, r.recordId, {}, w.parent);
    await ask(w, r.recordId, w.doctor);
    await w.ledger.submit(tx(w.patient, 'revokeAccess', { grantId: g.txId }));
    await ask(w, r.recordId, w.doctor);
    await ask(w, r.recordId, w.er, 'ETREAT');
    await w.ledger.submit(tx(w.patient, 'removeCustodian', { patient: w.patient.id, custodian: w.parent.id }));
    await publish(w, 1, w.parent.id);
    const log = await w.ledger.getAuditLog(w.patient.id);
    expect(log.map((e) => [e.type, e.actor])).toEqual([
      ['PartyRegistered', w.patient.id],
      ['RecordPublished', w.hospital.id],
      ['CustodianAdded', w.patient.id],
      ['AccessGranted', w.parent.id],
      ['AccessDecided', w.doctor.id],
      ['AccessRevoked', w.patient.id],
      ['AccessDecided', w.doctor.id],
      ['AccessDecided', w.er.id],
      ['BreakGlass', w.er.id],
      ['CustodianRemoved', w.patient.id],
    ]);
    const seqs = log.map((e) => e.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(log[0]).toMatchObject({ party: w.patient.id, patient: w.patient.id, seq: 4 });
    expect(log[2]).toMatchObject({ party: w.parent.id });
    expect(log[4]?.decision).toMatchObject({ granted: true, grantId: g.txId });
    expect(log[6]?.decision).toMatchObject({ granted: false, reason: 'NO_MATCHING_GRANT' });
    expect(log.every((e) => e.patient === w.patient.id && !Number.isNaN(Date.parse(e.time)))).toBe(true);
    expect(await w.ledger.getAuditLog('nobody')).toEqual([]);
  });

  test('replays, forged signatures, impersonation, wrong chains and malformed transactions', async () => {
    const w = await world(b);
    const r = await publish(w);
    const t = tx(w.doctor, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT' });
    const first = await w.ledger.submit(t);
    expect(first.seq).toBe(7);
    await rejects(w.ledger.submit(t), 'REPLAYED_NONCE');
    const imp = createTransaction(
      CHAIN,
      w.doctor.id,
      'requestAccess',
      { recordId: r.recordId, purpose: 'TREAT' },
      w.nurse.key.secretKey,
    );
    await rejects(w.ledger.submit(imp), 'UNAUTHORIZED_SIGNER');
    await rejects(w.ledger.submit({ ...imp, signer: pk(w.patient) }), 'BAD_SIGNATURE');
    await rejects(
      w.ledger.submit(tx(w.doctor, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT' }, 'other')),
      'WRONG_CHAIN',
    );
    await rejects(w.ledger.submit({ ...t, extra: 1 } as never), 'MALFORMED_TRANSACTION');
    await rejects(
      w.ledger.submit({ ...t, body: { recordId: r.recordId, purpose: 'NOPE' } } as never),
      'MALFORMED_TRANSACTION',
    );
    const next = await w.ledger.submit(tx(w.doctor, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT' }));
    expect(next.seq).toBe(8);
    expect(next.height).toBeGreaterThanOrEqual(first.height);
  });
});
