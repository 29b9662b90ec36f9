// Shared helper of the EVM tests (not a test file): one anvil per test file, a fresh permission
// contract per ledger, and the clock controls the conformance suite needs on either ledger.
import { afterAll, beforeAll } from 'vitest';
import { type GenesisConfig, type Ledger, MemoryLedger } from '../../src/chain/index.js';
import { deployPermissions, EvmLedger, PartyKeyring } from '../../src/evm/index.js';
import { ANVIL_MISSING, type Anvil, startAnvil } from './anvil.js';

export { ANVIL_MISSING };

/** A ledger under test with its clock. */
export interface TestLedger {
  readonly ledger: Ledger & { getRecordHead(patient: string): Promise<string | undefined> };
  /** The ledger's current time in ms (the next transaction's time, give or take a second on the EVM). */
  now(): Promise<number>;
  /** Move the ledger's clock forward. */
  advance(seconds: number): Promise<void>;
}

/** How a test file gets ledgers of one kind. */
export interface Backend {
  readonly name: 'memory' | 'evm';
  /** Why this backend is skipped here, if it is. */
  readonly skip: string | undefined;
  create(genesis: GenesisConfig): Promise<TestLedger>;
}

export const memoryBackend: Backend = {
  name: 'memory',
  skip: undefined,
  async create(genesis) {
    const clock = { t: Date.UTC(2026, 10, 24, 20, 0, 0) };
    const ledger = new MemoryLedger(genesis, { now: () => clock.t, maxBlockTxs: 8 });
    return {
      ledger,
      now: async () => clock.t,
      advance: async (s) => {
        clock.t += s * 1000;
      },
    };
  },
};

/** Options of EVM ledgers in the tests: a gas-free chain, fast polling. */
export const EVM_OPTS = { gasPrice: 0n, pollingIntervalMs: 10, timeoutMs: 20_000 } as const;

/**
 * The EVM backend of a test file: starts anvil before the file's tests and stops it after them
 * (also when they fail). Call at the top level of a test file.
 */
export function evmBackend(): Backend & { anvil(): Anvil; accounts: PartyKeyring } {
  let node: Anvil | undefined;
  const accounts = new PartyKeyring({ generate: true });
  if (ANVIL_MISSING === undefined) {
    beforeAll(async () => {
      node = await startAnvil();
    });
    afterAll(async () => {
      await node?.stop();
    });
  }
  const anvil = (): Anvil => {
    if (node === undefined) throw new Error('anvil is not running');
    return node;
  };
  return {
    name: 'evm',
    skip: ANVIL_MISSING,
    accounts,
    anvil,
    async create(genesis) {
      const a = anvil();
      const { address } = await deployPermissions({
        rpcUrl: a.url,
        deployer: accounts.signer('deployer') as never,
        genesis,
        accounts,
        ...EVM_OPTS,
      });
      const ledger = await EvmLedger.connect({ rpcUrl: a.url, address, accounts, ...EVM_OPTS });
      const now = async () => {
        const b = (await a.rpc('eth_getBlockByNumber', ['latest', false])) as { timestamp: string };
        return Number(b.timestamp) * 1000;
      };
      return {
        ledger,
        now,
        advance: async (s) => {
          await a.rpc('evm_increaseTime', [s]);
          await a.rpc('evm_mine', []);
        },
      };
    },
  };
}
