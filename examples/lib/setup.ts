/**
 * A small BPDS network for the role examples: an authority, an in-memory
 * consortium ledger, a blob store, one hospital and one patient, all registered.
 * (examples/demo.ts spells every step out instead.)
 */

import { init } from 'bpds';
import { MemoryLedger } from 'bpds/chain';
import { generateSigningKey } from 'bpds/index-record';
import { Authority, type BlobStore, Hospital, MemoryBlobStore, Patient, Requester } from 'bpds/protocol';

export async function createNetwork(store: BlobStore = new MemoryBlobStore()) {
  await init();
  const authority = Authority.create();
  const ledger = new MemoryLedger({ chainId: 'bpds-example', authorities: [authority.genesis] });
  const hospital = new Hospital({ id: 'st-mary', ledger, store, publicKey: authority.publicKey });
  await authority.registerHospital(ledger, hospital.identity);
  const patient = new Patient({
    id: 'p-7f3a9c',
    ledger,
    store,
    publicKey: authority.publicKey,
    key: authority.issueKey({ id: 'p-7f3a9c' }),
  });
  await patient.register(hospital.attestPatient(patient.identity));

  /** Enroll a requester on the ledger and give it a CP-ABE key for the same attributes. */
  async function requester(id: string, attributes: string[]): Promise<Requester> {
    const ledgerKey = generateSigningKey();
    const key = await authority.enroll(ledger, { id, attributes, publicKey: ledgerKey.publicKey });
    return new Requester({ id, ledger, store, key, secretKey: ledgerKey.secretKey });
  }
  return { authority, ledger, store, hospital, patient, requester };
}

/** The example FHIR Observation (an echocardiogram's ejection fraction). */
export async function cardiologyRecord() {
  const { readFile } = await import('node:fs/promises');
  return JSON.parse(await readFile(new URL('../data/cardiology-observation.json', import.meta.url), 'utf8'));
}
