/**
 * The demo's ledger: the in-memory consortium chain by default, or with `--ledger evm` the BPDS
 * permission contract on a real EVM node (anvil, started here on 127.0.0.1 and stopped at the end),
 * with every party acting from its own EVM account on a gas-free chain (`gasPrice: 0`, as on a
 * Besu or GoQuorum consortium network).
 */
import { type GenesisAuthority, type Ledger, MemoryLedger } from 'bpds/chain';
import { deployPermissions, EvmLedger, PartyKeyring } from 'bpds/evm';
import { recordDigest, verifyRecord } from 'bpds/index-record';
import { toBase64url } from '../../src/internal/bytes.js';
import { type Anvil, startAnvil } from '../../test/evm/anvil.js';
import { check, say } from './narrate.js';

export interface DemoLedger {
  readonly ledger: Ledger;
  /** One line saying which ledger this is. */
  readonly description: string;
  /** The chain-verification step of the story. */
  verify(): Promise<void>;
  close(): Promise<void>;
}

/** The `--ledger` argument: `memory` (default) or `evm`. */
export function ledgerKind(argv: readonly string[]): 'memory' | 'evm' {
  const i = argv.indexOf('--ledger');
  const v = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--ledger='))?.slice(9);
  if (v === undefined || v === 'memory') return 'memory';
  if (v === 'evm') return 'evm';
  throw new Error(`--ledger expects memory or evm, got ${v}`);
}

export async function openDemoLedger(
  kind: 'memory' | 'evm',
  chainId: string,
  authorities: GenesisAuthority[],
): Promise<DemoLedger> {
  if (kind === 'memory') {
    const ledger = new MemoryLedger({ chainId, authorities });
    return {
      ledger,
      description: `in-memory consortium ledger "${chainId}"`,
      async verify() {
        ledger.seal();
        const chain = ledger.verifyChain();
        say(`${ledger.blocks.length} block(s), head ${ledger.head.slice(0, 16)}…`);
        check(chain.ok, 'every block hash-links to its predecessor and every Merkle root matches');
      },
      async close() {},
    };
  }
  let node: Anvil | undefined = await startAnvil();
  try {
    const accounts = new PartyKeyring({ generate: true });
    const opts = { gasPrice: 0n, pollingIntervalMs: 20 } as const;
    const t0 = performance.now();
    const deployment = await deployPermissions({
      rpcUrl: node.url,
      deployer: accounts.signer('deployer') as NonNullable<ReturnType<PartyKeyring['signer']>>,
      genesis: { chainId, authorities },
      accounts,
      ...opts,
    });
    const ms = Math.round(performance.now() - t0);
    const ledger = await EvmLedger.connect({ rpcUrl: node.url, address: deployment.address, accounts, ...opts });
    const running = node;
    return {
      ledger,
      description: `EVM ledger: BpdsPermissions at ${deployment.address} on anvil ${running.url} (deployed in ${ms} ms, ${deployment.gasUsed} gas); each party signs from its own EVM account`,
      async verify() {
        const block = Number(await running.rpc('eth_blockNumber', []));
        say(`the EVM chain is at block ${block}; the contract holds the index records and permissions`);
        let ok = true;
        for (const patient of ['p-7f3a9c']) {
          const records = await ledger.listRecords(patient);
          let prev: string | undefined;
          for (const r of records) {
            const hospital = await ledger.getParty(r.hospital.id);
            ok &&= hospital !== undefined && verifyRecord(r, hospital.publicKey);
            ok &&= r.previous === prev;
            prev = toBase64url(recordDigest(r));
          }
          ok &&= records.length > 0 && (await ledger.getRecordHead(patient)) === prev;
        }
        check(
          ok,
          "every index record read back from the contract verifies under its hospital's registered key, and the patient's hash chain links",
        );
      },
      async close() {
        await running.stop();
      },
    };
  } catch (e) {
    await node.stop();
    node = undefined;
    throw e;
  }
}
