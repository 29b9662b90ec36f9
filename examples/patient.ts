/**
 * The patient: list index records, grant a department access, grant an insurer
 * three fields only (a content-extracted presentation), revoke, read the audit log.
 *
 * Run: npx tsx examples/patient.ts
 */
import { ExtractionNotAllowedError } from 'bpds/errors';
import { formatAuditLog } from 'bpds/protocol';
import { check, finish, refused, say, step } from './lib/narrate.js';
import { cardiologyRecord, createNetwork } from './lib/setup.js';

const { hospital, patient, requester } = await createNetwork();
const insurer = await requester('insurer-7', ['org:insurer']);
await hospital.publish({
  patient: patient.id,
  record: await cardiologyRecord(),
  policy: 'dept:cardiology',
  rules: { never: ['/note'], requires: [{ if: '/valueQuantity', needs: ['/code'] }] },
});

step('My index records');
const records = await patient.records();
for (const r of records) say(`${r.recordId}  from ${r.hospital.id}  at ${r.createdAt}  (${r.ciphertext.size} bytes)`);
const recordId = records[0]?.recordId as string;
check(records.length === 1, 'one record');

step('Grant the cardiology department treatment access');
const dept = await patient.grant({ recordId, to: { policy: 'dept:cardiology' }, purposes: ['TREAT'] });
say(`grant ${dept.grantId}`);

step('Grant the insurer three fields for 30 days');
const claim = await patient.grant({
  recordId,
  to: { requester: insurer.id },
  fields: ['/code', '/valueQuantity', '/effectiveDateTime'],
  purposes: ['HPAYMT'],
  expiresAt: new Date(Date.now() + 30 * 86_400_000),
});
say(`presentation for insurer-7: ${claim.presentation}`);
const seen = await insurer.access({ recordId, purpose: 'HPAYMT', presentation: claim.presentation as string });
check(
  Object.keys(seen.record as object).length === 3,
  `the insurer verified ${seen.report.disclosedFields.length} leaves in 3 fields`,
);

step("The hospital's extraction rules protect the clinical note");
try {
  await patient.grant({ recordId, to: { requester: insurer.id }, fields: ['/note'] });
  check(false, 'the note must not be disclosable');
} catch (e) {
  check(e instanceof ExtractionNotAllowedError, `refused: ${(e as Error).message}`);
}

step('Revoke the insurer grant');
await patient.revoke(claim.grantId);
await refused(
  () => insurer.access({ recordId, purpose: 'HPAYMT', presentation: claim.presentation as string }),
  { step: 'access', reason: 'NO_MATCHING_GRANT' },
  'the insurer',
);

step('My audit log');
for (const line of formatAuditLog(await patient.auditLog())) say(line);
finish('patient example');
