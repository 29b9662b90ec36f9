/**
 * `npm run demo`: the whole BPDS story on the embedded defaults (an in-memory
 * consortium ledger, a filesystem blob store in a temporary folder).
 * `npm run demo -- --ledger evm`: the same story with the ledger on a real EVM node (anvil,
 * started and stopped by the demo) running the Solidity permission contract.
 * `npm run demo -- --storage s3` keeps the blobs in an S3-compatible server (s3rver) started in-process.
 *
 * 1. The authority sets up CP-ABE and the ledger; a hospital and a patient join.
 * 2. The hospital publishes a signed, encrypted cardiology record and its index record.
 * 3. The patient lets the cardiology department read it; a cardiologist reads and verifies it.
 * 4. A nurse from another department is refused by the ledger, and by the cryptography.
 * 5. The patient grants an insurer three fields only; the insurer verifies them.
 * 6. The patient revokes the insurer's grant; the insurer is refused.
 * 7. An emergency physician uses break-glass access.
 * 8. A tampered blob is detected.
 * 9. The chain verifies; tampering with a stored block is detected.
 * 10. The patient's audit log.
 *
 * Exits non-zero if any expectation fails.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from 'bpds';
import type { JsonValue } from 'bpds/ces';
import { decrypt } from 'bpds/cpabe';
import { generateSigningKey } from 'bpds/index-record';
import { Authority, formatAuditLog, Hospital, Patient, Requester } from 'bpds/protocol';
import { type DemoLedger, ledgerKind, openDemoLedger } from './lib/demo-ledger.js';
import { check, finish, refused, say, step } from './lib/narrate.js';
import { openStorage, storageOption } from './lib/storage.js';

const record = JSON.parse(
  await readFile(new URL('./data/cardiology-observation.json', import.meta.url), 'utf8'),
) as JsonValue;
const dir = await mkdtemp(join(tmpdir(), 'bpds-demo-'));
let demoLedger: DemoLedger | undefined;
let closeStorage: () => Promise<void> = async () => undefined;

try {
  step('Setup: the attribute authority, the consortium ledger, the cloud storage');
  await init();
  const authority = Authority.create({ scheme: 'fame' });
  demoLedger = await openDemoLedger(ledgerKind(process.argv), 'bpds-demo', [authority.genesis]);
  const ledger = demoLedger.ledger;
  say(demoLedger.description);
  const storage = await openStorage(storageOption(process.argv), dir);
  closeStorage = () => storage.close();
  const { store } = storage;
  say(`CP-ABE scheme: ${authority.publicKey.scheme} on BN254; ledger "${ledger.chainId}"; blobs in ${storage.where}`);

  const hospital = new Hospital({ id: 'st-mary', ledger, store, publicKey: authority.publicKey });
  await authority.registerHospital(ledger, hospital.identity);
  const alice = new Patient({
    id: 'p-7f3a9c',
    ledger,
    store,
    publicKey: authority.publicKey,
    key: authority.issueKey({ id: 'p-7f3a9c' }),
  });
  // St. Mary's checks who Alice is and attests her pseudonym and key; only then does the ledger register her.
  await alice.register(hospital.attestPatient(alice.identity));
  say('hospital "st-mary" registered by the authority; patient "p-7f3a9c" (Alice) registered with its attestation');

  // Requesters: enrolled on the ledger and given CP-ABE keys for the same attributes.
  async function enroll(id: string, attributes: string[], emergency = false): Promise<Requester> {
    const ledgerKey = generateSigningKey();
    const key = await authority.enroll(ledger, { id, attributes, publicKey: ledgerKey.publicKey, emergency });
    say(`enrolled ${id.padEnd(11)} with ${attributes.join(', ')}${emergency ? ' (break-glass allowed)' : ''}`);
    return new Requester({ id, ledger, store, key, secretKey: ledgerKey.secretKey });
  }
  const cardiologist = await enroll('dr-chen', ['dept:cardiology', 'role:doctor']);
  const nurse = await enroll('nurse-ito', ['dept:oncology', 'role:nurse']);
  const insurer = await enroll('insurer-7', ['org:insurer']);
  const erDoctor = await enroll('dr-okafor', ['dept:emergency', 'role:doctor'], true);

  step('The hospital publishes a cardiology record');
  const published = await hospital.publish({
    patient: alice.id,
    record,
    policy: 'dept:cardiology and (role:doctor or role:nurse) or dept:emergency and role:doctor',
    rules: {
      id: 'fhir-observation-v1',
      never: ['/note'],
      requires: [{ if: '/valueQuantity', needs: ['/code'] }],
    },
  });
  const { indexRecord } = published;
  say(`CES-signed (commit-vector), encrypted under: ${published.policy}`);
  say(`stored at ${published.locator}`);
  say(`index record ${indexRecord.recordId} on the ledger: ciphertext ${indexRecord.ciphertext.size} bytes,`);
  say(
    `  digest ${indexRecord.ciphertext.digest.slice(0, 16)}…, policy digest ${indexRecord.policyDigest.slice(0, 16)}…`,
  );
  check(
    !JSON.stringify(indexRecord).includes('cardiology'),
    'the index record on the ledger names no diagnosis or policy',
  );
  check((await alice.records()).length === 1, 'Alice sees her new index record');

  step('Alice lets the cardiology department read it; Dr. Chen (cardiology doctor) reads and verifies it');
  await alice.grant({ recordId: published.recordId, to: { policy: 'dept:cardiology' }, purposes: ['TREAT'] });
  const read = await cardiologist.access({ recordId: published.recordId, purpose: 'TREAT' });
  const r = read.report;
  say(`signed by ${r.signedBy.hospital} at ${r.signedAt}; index record digest ${r.indexRecordDigest.slice(0, 16)}…`);
  say(
    `${r.disclosedFields.length} fields disclosed, none hidden; LVEF = ${JSON.stringify((read.record as { valueQuantity?: { value?: unknown } }).valueQuantity?.value)}%`,
  );
  check(
    JSON.stringify(read.record) === JSON.stringify(sortKeys(record)),
    'the cardiologist gets exactly the signed record',
  );
  check(
    r.source === 'record' && !r.fieldsHidden && r.access.reason === 'GRANTED',
    'the report shows a full, granted read',
  );

  step('Nurse Ito (oncology) is refused');
  await refused(
    () => nurse.access({ recordId: published.recordId, purpose: 'TREAT' }),
    { step: 'access', reason: 'NO_MATCHING_GRANT' },
    'the ledger denies her request',
  );
  const blob = await store.get(published.locator);
  const nurseKey = authority.issueKey({ id: 'nurse-ito', attributes: ['dept:oncology', 'role:nurse'] });
  await decrypt(nurseKey, blob).then(
    () => check(false, 'even with the blob in hand, her key must not decrypt it'),
    (e: Error) =>
      check(e.name === 'PolicyNotSatisfiedError', `even with the blob in hand, CP-ABE refuses her key (${e.name})`),
  );

  step('Alice grants the insurer three fields only; the insurer verifies them');
  const fields = ['/code', '/valueQuantity', '/effectiveDateTime'];
  const grant = await alice.grant({
    recordId: published.recordId,
    to: { requester: insurer.id },
    fields,
    purposes: ['HPAYMT'],
    expiresAt: new Date(Date.now() + 30 * 24 * 3600 * 1000),
  });
  say(`grant ${grant.grantId.slice(0, 12)}…; presentation encrypted for id:${insurer.id} at ${grant.presentation}`);
  const claim = await insurer.access({
    recordId: published.recordId,
    purpose: 'HPAYMT',
    presentation: grant.presentation as string,
  });
  say(`insurer sees: ${JSON.stringify(claim.record)}`);
  const top = Object.keys(claim.record as object).sort();
  check(
    JSON.stringify(top) === JSON.stringify(['code', 'effectiveDateTime', 'valueQuantity']),
    'exactly the three granted fields',
  );
  check(
    claim.report.fieldsHidden && claim.report.signedBy.hospital === 'st-mary',
    "the hospital's signature verifies on the disclosed fields",
  );
  check(
    !JSON.stringify(claim.record).includes('Alice') && !JSON.stringify(claim.record).includes('infarction'),
    'name and clinical note stay hidden',
  );
  await refused(
    () => insurer.access({ recordId: published.recordId, purpose: 'HPAYMT' }),
    { step: 'access', reason: 'PRESENTATION_REQUIRED' },
    'the insurer cannot read the full record instead',
  );

  step('Alice revokes the insurer grant');
  await alice.revoke(grant.grantId);
  await refused(
    () =>
      insurer.access({ recordId: published.recordId, purpose: 'HPAYMT', presentation: grant.presentation as string }),
    { step: 'access', reason: 'NO_MATCHING_GRANT' },
    'the insurer is refused after revocation',
  );

  step('Emergency: Dr. Okafor uses break-glass access (always logged, visible to Alice)');
  const er = await erDoctor.access({ recordId: published.recordId, purpose: 'ETREAT' });
  say(`access ${er.report.access.reason} until ${er.report.access.expiresAt ?? '?'}`);
  check(er.report.access.reason === 'BREAK_GLASS', 'break-glass access granted and verified');

  step('The storage provider tampers with the blob');
  const file = storage.objectPath(published.locator);
  const original = await readFile(file);
  const tampered = new Uint8Array(original);
  tampered[tampered.length - 20] = (tampered[tampered.length - 20] as number) ^ 0x01;
  await writeFile(file, tampered);
  await refused(
    () => cardiologist.access({ recordId: published.recordId, purpose: 'TREAT' }),
    { step: 'blob-integrity', reason: 'BLOB_CORRUPT' },
    'the tampered blob is detected before decryption',
  );
  await writeFile(file, original);
  check(
    (await cardiologist.access({ recordId: published.recordId, purpose: 'TREAT' })).record !== null,
    'after restoring the blob, the record reads again',
  );

  step('The chain verifies');
  await demoLedger.verify();

  step("Alice's audit log (every request, grant, denial and emergency access)");
  const log = await alice.auditLog();
  for (const line of formatAuditLog(log)) say(line);
  check(
    log.some((e) => e.kind === 'access-denied' && e.actor === 'nurse-ito'),
    'the nurse denial is in the log',
  );
  check(
    log.some((e) => e.kind === 'break-glass' && e.actor === 'dr-okafor'),
    'the break-glass access is in the log',
  );
  check(
    log.some((e) => e.kind === 'revoked'),
    'the revocation is in the log',
  );
  check(
    log.some((e) => e.kind === 'access-denied' && e.actor === 'insurer-7' && e.reason === 'PRESENTATION_REQUIRED'),
    "the insurer's refused full read is logged as a refusal",
  );
} catch (e) {
  check(false, `the demo crashed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
} finally {
  await demoLedger?.close();
  await closeStorage();
  await rm(dir, { recursive: true, force: true });
}
finish('demo');

function sortKeys(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys(v[k] as JsonValue)]),
    );
  }
  return v;
}
