// Strict TypeScript (no skipLibCheck): public types through subpaths and through the root namespaces.
import { type BpdsErrorCode, type ces, type chain, cpabe, indexRecord, init, isBpdsError, type policy } from 'bpds';
import type { ClaimsPath, VerifyResult } from 'bpds/ces';
import type { GenesisConfig } from 'bpds/chain';
import { type Policy, parsePolicy } from 'bpds/policy';

await init();
const path: ces.ClaimsPath = ['resourceType'];
const samePath: ClaimsPath = path;
const parsed: policy.Policy = parsePolicy('a and b');
const again: Policy = parsed;
const genesis: chain.GenesisConfig = { chainId: 'c', authorities: [] };
const sameGenesis: GenesisConfig = genesis;
const keys: cpabe.PublicKey = cpabe.setup().publicKey;
const pair: indexRecord.SigningKeyPair = indexRecord.generateSigningKey();
const code: BpdsErrorCode = 'ERR_DECRYPTION_FAILED';
declare const result: VerifyResult;
if (result.valid) console.log(result.disclosed);
try {
  cpabe.keygen(cpabe.setup().masterKey, ['x']);
} catch (e) {
  if (isBpdsError(e, 'ERR_LEDGER')) console.log(e.reason);
  // @ts-expect-error a misspelt code does not compile
  if (isBpdsError(e, 'ERR_TYPO')) console.log(e);
}
console.log(samePath, again, sameGenesis, keys, pair, code);
