/**
 * The requester: ask the ledger, fetch, check the digest, decrypt, verify, and
 * read the verification report; and what each refusal looks like.
 *
 * Run: npx tsx examples/requester.ts
 */
import { ProtocolError } from 'bpds/protocol';
import { check, finish, refused, say, step } from './lib/narrate.js';
import { cardiologyRecord, createNetwork } from './lib/setup.js';

const { hospital, patient, requester } = await createNetwork();
const { recordId } = await hospital.publish({
  patient: patient.id,
  record: await cardiologyRecord(),
  policy: 'dept:cardiology and role:doctor',
});
await patient.grant({ recordId, to: { policy: 'dept:cardiology' }, purposes: ['TREAT'] });

step('A cardiologist reads the record');
const cardiologist = await requester('dr-chen', ['dept:cardiology', 'role:doctor']);
const { record, report } = await cardiologist.access({ recordId, purpose: 'TREAT' });
say(
  `signed by ${report.signedBy.hospital} (key ${report.signedBy.keyFingerprint.slice(0, 12)}…) at ${report.signedAt}`,
);
say(`index record ${report.recordId}, digest ${report.indexRecordDigest.slice(0, 16)}…`);
say(`ciphertext digest checked: ${report.ciphertextDigest.slice(0, 16)}…`);
say(`access: ${report.access.reason} for ${report.access.purpose} (request ${report.access.requestId.slice(0, 12)}…)`);
say(
  `CES ${report.ces.scheme}, document ${report.ces.documentId}; ${report.disclosedFields.length} fields, hidden: ${report.fieldsHidden}`,
);
check(
  (record as { resourceType?: string }).resourceType === 'Observation',
  'the verified FHIR Observation is returned',
);

step('Refusals name the failed step');
const nurse = await requester('nurse-ito', ['dept:cardiology', 'role:nurse']);
await refused(
  () => nurse.access({ recordId, purpose: 'TREAT' }),
  { step: 'decrypt', reason: 'POLICY_NOT_SATISFIED' },
  'a cardiology nurse (the ledger allows her department, the policy needs a doctor)',
);
const stranger = await requester('dr-elsewhere', ['dept:oncology', 'role:doctor']);
await refused(
  () => stranger.access({ recordId, purpose: 'TREAT' }),
  { step: 'access', reason: 'NO_MATCHING_GRANT' },
  'an oncologist without a grant',
);
try {
  await stranger.access({ recordId, purpose: 'ETREAT' });
} catch (e) {
  if (e instanceof ProtocolError) say(`break-glass without authorization: ${e.code} step=${e.step} reason=${e.reason}`);
  check(
    e instanceof ProtocolError && e.reason === 'EMERGENCY_NOT_AUTHORIZED',
    'break-glass needs an emergency enrollment',
  );
}
finish('requester example');
