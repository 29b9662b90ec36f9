// Browser page: init, CP-ABE and CES through the packed package; the text is asserted by the driver.
import { init } from 'bpds';
import { extract, SigningKey, sign, verify } from 'bpds/ces';
import { decrypt, encrypt, keygen, setup } from 'bpds/cpabe';

const out = document.getElementById('out') as HTMLElement;
try {
  await init();
  const { publicKey, masterKey } = setup();
  const ct = await encrypt(publicKey, 'cardiology and doctor', new TextEncoder().encode('EMR'));
  const text = new TextDecoder().decode(await decrypt(keygen(masterKey, ['cardiology', 'doctor']), ct));
  const hospital = SigningKey.generate();
  const record = { resourceType: 'Observation', status: 'final', note: 'private' };
  const signed = sign(hospital, record, { rules: { mandatory: ['/resourceType'], never: ['/note'] } });
  const result = verify(hospital.verifyKey(), extract(signed, record, ['/resourceType', '/status']).toBytes());
  out.textContent = `bpds ok: cpabe=${text} ces=${result.valid ? JSON.stringify(result.disclosed) : 'invalid'}`;
} catch (e) {
  out.textContent = `bpds failed: ${(e as Error).stack ?? String(e)}`;
}
