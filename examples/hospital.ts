/**
 * The hospital: sign a FHIR record with a content extraction signature, encrypt
 * it with CP-ABE, store it off-chain (filesystem) and publish its index record.
 *
 * Run: npx tsx examples/hospital.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyRecord } from 'bpds/index-record';
import { FileBlobStore } from 'bpds/node';
import { check, finish, say, step } from './lib/narrate.js';
import { cardiologyRecord, createNetwork } from './lib/setup.js';

const dir = await mkdtemp(join(tmpdir(), 'bpds-hospital-'));
try {
  const { hospital, ledger, store, patient } = await createNetwork(new FileBlobStore(dir));

  step('Publish a cardiology Observation for the patient');
  const published = await hospital.publish({
    patient: patient.id,
    record: await cardiologyRecord(),
    policy: 'dept:cardiology and (role:doctor or role:nurse)',
    rules: { id: 'fhir-observation-v1', never: ['/note'], requires: [{ if: '/valueQuantity', needs: ['/code'] }] },
  });
  say(`effective policy: ${published.policy}`);
  say(`ciphertext stored at ${published.locator}`);
  say('index record on the ledger:');
  for (const line of JSON.stringify(published.indexRecord, null, 2).split('\n')) say(`  ${line}`);

  step('Check what was published');
  const onChain = await ledger.getRecord(published.recordId);
  check(
    onChain !== undefined && verifyRecord(onChain, hospital.identity.publicKey),
    'the index record carries the hospital signature',
  );
  check(
    (await store.get(published.locator)).length === published.indexRecord.ciphertext.size,
    'the stored ciphertext has the recorded size',
  );
  check(!JSON.stringify(onChain).includes('cardiology'), 'neither the policy nor the content is on the ledger');

  step('A second record links to the first (per-patient hash chain)');
  const second = await hospital.publish({
    patient: patient.id,
    record: {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'Heart rate' },
      valueQuantity: { value: 72, unit: '/min' },
    },
    policy: 'dept:cardiology',
  });
  check(
    second.indexRecord.previous !== undefined,
    `the new record names its predecessor (${second.indexRecord.previous?.slice(0, 12)}…)`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
finish('hospital example');
