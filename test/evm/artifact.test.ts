/**
 * The committed artifact (src/evm/artifact.ts) is exactly what the pinned solc-js makes of
 * contracts/BpdsPermissions.sol; the `london` build has no PUSH0 and runs on a london chain
 * (GoQuorum's EVM), where the default build cannot be deployed.
 */
import { describe, expect, it } from 'vitest';
import { compilePermissions } from '../../contracts/compile.js';
import { attestPatient, createTransaction } from '../../src/chain/index.js';
import { LedgerError } from '../../src/errors.js';
import {
  deployPermissions,
  EvmLedger,
  PartyKeyring,
  PERMISSIONS_ABI,
  PERMISSIONS_BUILD,
  PERMISSIONS_BYTECODE,
} from '../../src/evm/index.js';
import { generateSigningKey } from '../../src/index-record/index.js';
import { ANVIL_MISSING, startAnvil } from './anvil.js';
import { EVM_OPTS } from './fixture.js';

/** The opcodes of EVM code (PUSH data skipped). */
function opcodes(code: string): number[] {
  const b = Buffer.from(code.slice(2), 'hex');
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const op = b[i] as number;
    out.push(op);
    if (op >= 0x60 && op <= 0x7f) i += op - 0x5f;
  }
  return out;
}
const PUSH0 = 0x5f;

describe('contract artifact', () => {
  it('recompiling the source gives the committed ABI and bytecode', () => {
    const c = compilePermissions();
    expect(c.settings).toEqual(PERMISSIONS_BUILD);
    expect(c.abi).toEqual(PERMISSIONS_ABI);
    expect(c.bytecode).toBe(PERMISSIONS_BYTECODE);
    expect(opcodes(PERMISSIONS_BYTECODE)).toContain(PUSH0);
  }, 180_000);

  it.skipIf(ANVIL_MISSING !== undefined)(
    'the london build has no PUSH0 and runs on a london chain; the default build does not',
    async () => {
      const london = compilePermissions({ evmVersion: 'london' });
      expect(opcodes(london.bytecode)).not.toContain(PUSH0);
      const node = await startAnvil(['--hardfork', 'london']);
      try {
        const accounts = new PartyKeyring({ generate: true });
        const authority = generateSigningKey();
        const genesis = {
          chainId: 'bpds-london',
          authorities: [{ id: 'ministry', publicKey: authority.publicKey }],
        };
        const deployer = accounts.signer('deployer') as NonNullable<ReturnType<PartyKeyring['signer']>>;
        const base = { rpcUrl: node.url, deployer, genesis, accounts, ...EVM_OPTS };
        const e = await deployPermissions(base).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(LedgerError);
        const { address } = await deployPermissions({ ...base, bytecode: london.bytecode });
        const ledger = await EvmLedger.connect({ rpcUrl: node.url, address, accounts, ...EVM_OPTS });
        const p = generateSigningKey();
        const rc = await ledger.submit(
          createTransaction(
            'bpds-london',
            'p-1',
            'registerPatient',
            {
              id: 'p-1',
              publicKey: p.publicKey,
              attestation: attestPatient(
                'bpds-london',
                { id: 'p-1', publicKey: p.publicKey },
                { id: 'ministry', secretKey: authority.secretKey },
              ),
            },
            p.secretKey,
          ),
        );
        expect(rc.events[0]?.type).toBe('PartyRegistered');
      } finally {
        await node.stop();
      }
    },
    180_000,
  );
});
