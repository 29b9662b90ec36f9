// ESM consumer: every subpath loads, init() once, CP-ABE and CES work, error classes are shared.
import assert from 'node:assert/strict';
import * as root from 'bpds';
import { extract, SigningKey, sign, verify } from 'bpds/ces';
import { decrypt, encrypt, keygen, SecretKey, setup } from 'bpds/cpabe';
import { isBpdsError, PolicyNotSatisfiedError } from 'bpds/errors';

for (const sub of JSON.parse(process.env.BPDS_SUBPATHS ?? '[]')) await import(sub);
await root.init();
const { publicKey, masterKey } = setup();
const ct = await encrypt(publicKey, 'cardiology and doctor', new TextEncoder().encode('EMR'));
assert.equal(new TextDecoder().decode(await decrypt(keygen(masterKey, ['cardiology', 'doctor']), ct)), 'EMR');
await assert.rejects(decrypt(keygen(masterKey, ['nurse']), ct), (e) => {
  assert.ok(e instanceof root.PolicyNotSatisfiedError && e instanceof PolicyNotSatisfiedError);
  assert.ok(isBpdsError(e, 'ERR_POLICY_NOT_SATISFIED'));
  return true;
});
assert.equal(root.cpabe.SecretKey, SecretKey);
const hospital = SigningKey.generate();
const record = { resourceType: 'Observation', status: 'final', note: 'private' };
const signed = sign(hospital, record, { rules: { mandatory: ['/resourceType'], never: ['/note'] } });
const result = verify(hospital.verifyKey(), extract(signed, record, ['/resourceType', '/status']).toBytes());
assert.ok(result.valid);
assert.deepEqual(result.disclosed, { resourceType: 'Observation', status: 'final' });
console.log('esm ok');
