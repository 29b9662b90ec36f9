/**
 * The attribute authority: CP-ABE setup, key issuance, persistence of the master
 * key, and enrollment of requesters on the ledger.
 *
 * Run: npx tsx examples/authority.ts
 */

import { init } from 'bpds';
import { MemoryLedger } from 'bpds/chain';
import { MasterKey, SecretKey } from 'bpds/cpabe';
import { generateSigningKey } from 'bpds/index-record';
import { Authority } from 'bpds/protocol';
import { check, finish, say, step } from './lib/narrate.js';

await init();

step('CP-ABE setup (FAME on BN254)');
const authority = Authority.create({ scheme: 'fame' });
say(`public key: ${authority.publicKey.toBytes().length} bytes, scheme ${authority.publicKey.scheme}`);

step('Issue a key: attributes plus the holder identity attribute');
const key = authority.issueKey({ id: 'dr-chen', attributes: ['dept:cardiology', 'role:doctor'] });
say(`dr-chen holds: ${[...key.attributes].sort().join(', ')}`);
check(key.attributes.includes('id:dr-chen'), 'the identity attribute id:dr-chen is in the key');
const restoredKey = SecretKey.fromBytes(key.toBytes());
check(restoredKey.attributes.length === key.attributes.length, 'the key round-trips through its binary encoding');
try {
  authority.issueKey({ id: 'mallory', attributes: ['id:dr-chen'] });
  check(false, 'identity attributes must be reserved');
} catch (e) {
  check((e as Error).name === 'InvalidArgumentError', `nobody can ask for another identity: ${(e as Error).message}`);
}

step('Persist and restore the master key (keep it offline!)');
const armored = authority.masterKey.toArmored();
say(armored.split('\n')[0] ?? '');
const again = Authority.fromMasterKey(MasterKey.fromArmored(armored));
check(
  again.publicKey.toBytes().length === authority.publicKey.toBytes().length,
  'the restored authority has the same public key',
);

step('Genesis and enrollment on the consortium ledger');
const ledger = new MemoryLedger({ chainId: 'bpds-example', authorities: [authority.genesis] });
const insurerKey = generateSigningKey();
const abeKey = await authority.enroll(ledger, {
  id: 'insurer-7',
  attributes: ['org:insurer'],
  publicKey: insurerKey.publicKey,
});
const party = await ledger.getParty('insurer-7');
say(`ledger party: ${JSON.stringify(party)}`);
check(
  party?.role === 'requester' && abeKey.attributes.includes('org:insurer'),
  'the same attributes on the ledger and in the key',
);

finish('authority example');
