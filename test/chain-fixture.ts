// Shared fixture of the chain tests (not a test file itself).
import {
  attestPatient,
  createTransaction,
  MemoryLedger,
  type SignedTransaction,
  type TxBodies,
  type TxType,
} from '../src/chain/index.js';
import {
  cesHeaderDigest,
  createRecord,
  generateSigningKey,
  type IndexRecord,
  type SigningKeyPair,
  signRecord,
} from '../src/index-record/index.js';
import { fromBase64url } from '../src/internal/bytes.js';

export const CHAIN = 'bpds-test';

export interface Actor {
  id: string;
  key: SigningKeyPair;
}

export function actor(id: string): Actor {
  return { id, key: generateSigningKey() };
}

export function tx<T extends TxType>(a: Actor, type: T, body: TxBodies[T], chain = CHAIN): SignedTransaction<T> {
  return createTransaction(chain, a.id, type, body, a.key.secretKey);
}

/** A `registerPatient` body for `p`, attested by `attester` (a registered hospital or an authority). */
export function patientBody(p: Actor, attester: Actor, chain = CHAIN): TxBodies['registerPatient'] {
  return {
    id: p.id,
    publicKey: p.key.publicKey,
    attestation: attestPatient(
      chain,
      { id: p.id, publicKey: p.key.publicKey },
      { id: attester.id, secretKey: attester.key.secretKey },
    ),
  };
}

export interface World {
  ledger: MemoryLedger;
  clock: { t: number };
  authority: Actor;
  hospital: Actor;
  patient: Actor;
  doctor: Actor;
  nurse: Actor;
  er: Actor;
  parent: Actor;
}

export async function world(): Promise<World> {
  const clock = { t: Date.UTC(2026, 10, 24, 20, 0, 0) };
  const authority = actor('ministry');
  const ledger = new MemoryLedger(
    { chainId: CHAIN, authorities: [{ id: authority.id, publicKey: authority.key.publicKey }] },
    { now: () => clock.t, maxBlockTxs: 8 },
  );
  const w: World = {
    ledger,
    clock,
    authority,
    hospital: actor('hospital-1'),
    patient: actor('patient-1'),
    doctor: actor('dr-house'),
    nurse: actor('nurse-joy'),
    er: actor('er-doc'),
    parent: actor('parent-1'),
  };
  await ledger.submit(tx(authority, 'registerHospital', { id: w.hospital.id, publicKey: pk(w.hospital) }));
  await ledger.submit(
    tx(authority, 'registerRequester', {
      id: w.doctor.id,
      publicKey: pk(w.doctor),
      attributes: ['role:doctor', 'dept:cardiology'],
    }),
  );
  await ledger.submit(
    tx(authority, 'registerRequester', {
      id: w.nurse.id,
      publicKey: pk(w.nurse),
      attributes: ['role:nurse', 'dept:er'],
    }),
  );
  await ledger.submit(
    tx(authority, 'registerRequester', {
      id: w.er.id,
      publicKey: pk(w.er),
      attributes: ['role:doctor', 'dept:er'],
      emergency: true,
    }),
  );
  await ledger.submit(tx(w.patient, 'registerPatient', patientBody(w.patient, w.hospital)));
  await ledger.submit(tx(w.parent, 'registerPatient', patientBody(w.parent, authority)));
  return w;
}

export function pk(a: Actor): string {
  return a.key.publicKey;
}

export function makeRecord(hospital: Actor, patient: string, previous?: string, n = 0): IndexRecord {
  return signRecord(
    createRecord({
      patient,
      hospitalId: hospital.id,
      hospitalPublicKey: hospital.key.publicKey,
      ciphertext: new Uint8Array(64).fill(n),
      scheme: 'fame',
      locator: `blob:${n}`,
      policyDigest: new Uint8Array(32).fill(5),
      cesHeaderDigest: cesHeaderDigest(new Uint8Array([n])),
      ...(previous === undefined ? {} : { previous: fromBase64url(previous) }),
    }),
    hospital.key.secretKey,
  );
}

export async function publish(w: World, n = 0): Promise<IndexRecord> {
  const head = await w.ledger.getRecordHead(w.patient.id);
  const record = makeRecord(w.hospital, w.patient.id, head, n);
  await w.ledger.submit(tx(w.hospital, 'publishRecord', { record }));
  return record;
}
