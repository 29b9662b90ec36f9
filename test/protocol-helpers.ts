/** A BPDS world for the protocol tests: authority, ledger with a test clock, store, hospital, patient. */
import type { JsonValue } from '../src/ces/index.js';
import { type Ledger, MemoryLedger } from '../src/chain/index.js';
import { init } from '../src/index.js';
import { generateSigningKey } from '../src/index-record/index.js';
import {
  Authority,
  type BlobStore,
  Hospital,
  MemoryBlobStore,
  Patient,
  ProtocolError,
  Requester,
} from '../src/protocol/index.js';

export const observation: JsonValue = {
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '10230-1' }], text: 'LVEF' },
  subject: { reference: 'Patient/p-alice', display: 'Alice Martin' },
  effectiveDateTime: '2026-11-20T09:30:00Z',
  valueQuantity: { value: 38.5, unit: '%' },
  note: [{ text: 'history of anterior MI' }],
};

export interface World {
  authority: Authority;
  ledger: MemoryLedger;
  store: MemoryBlobStore;
  hospital: Hospital;
  patient: Patient;
  /** The patient's Ed25519 ledger (and CES holder) secret key. */
  patientSecret: Uint8Array;
  clock: { now: number };
  /** Enroll a requester on the real ledger; the returned object may talk to another ledger view or store. */
  requester(
    id: string,
    attributes: string[],
    opts?: { emergency?: boolean; ledger?: Ledger; store?: BlobStore },
  ): Promise<Requester>;
}

export async function makeWorld(): Promise<World> {
  await init();
  const clock = { now: Date.parse('2026-11-24T12:00:00Z') };
  const authority = Authority.create();
  const ledger = new MemoryLedger({ chainId: 'test', authorities: [authority.genesis] }, { now: () => clock.now });
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
  return {
    authority,
    ledger,
    store,
    hospital,
    patient,
    patientSecret,
    clock,
    async requester(id, attributes, opts = {}) {
      const k = generateSigningKey();
      const key = await authority.enroll(ledger, {
        id,
        attributes,
        publicKey: k.publicKey,
        ...(opts.emergency ? { emergency: true } : {}),
      });
      return new Requester({
        id,
        ledger: opts.ledger ?? ledger,
        store: opts.store ?? store,
        key,
        secretKey: k.secretKey,
      });
    },
  };
}

/** Expect a ProtocolError at `step` (and `reason`). */
export async function expectRefused(p: Promise<unknown>, step: string, reason?: string): Promise<ProtocolError> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    if (e.step !== step || (reason !== undefined && e.reason !== reason)) {
      throw new Error(`expected ${step}/${reason ?? '*'}, got ${e.step}/${e.reason}: ${e.message}`);
    }
    return e;
  }
  throw new Error(`expected a refusal at ${step}/${reason ?? '*'}, but it succeeded`);
}
