// CommonJS consumer: require() of the ESM package (Node >= 20.19), one module state with import().
const assert = require('node:assert/strict');
const bpds = require('bpds');
const cpabe = require('bpds/cpabe');

for (const sub of JSON.parse(process.env.BPDS_SUBPATHS ?? '[]')) require(sub);
(async () => {
  const viaImport = await import('bpds');
  await viaImport.init(); // init through import() serves require()
  assert.ok(bpds.isInitialized());
  const { publicKey, masterKey } = cpabe.setup();
  const key = viaImport.cpabe.keygen(masterKey, ['cardiology', 'doctor']);
  assert.equal(key.constructor.name, 'SecretKey');
  assert.ok(key instanceof cpabe.SecretKey);
  const ct = await cpabe.encrypt(publicKey, 'cardiology and doctor', new TextEncoder().encode('EMR'));
  assert.equal(new TextDecoder().decode(await viaImport.cpabe.decrypt(key, ct)), 'EMR');
  try {
    cpabe.keygen(publicKey, ['x']);
    assert.fail('keygen with a public key');
  } catch (e) {
    assert.ok(e instanceof bpds.InvalidArgumentError);
    assert.match(e.message, /expected MasterKey, got PublicKey/);
  }
  console.log('cjs ok');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
