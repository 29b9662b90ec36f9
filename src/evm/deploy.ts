/**
 * Deploying the BPDS permission contract (`contracts/BpdsPermissions.sol`, compiled artifact in
 * `./artifact.ts`) with the ledger's genesis configuration: chain id, authorities (their Ed25519
 * keys and the EVM accounts they act from) and the break-glass window.
 */
import { type Address, encodeDeployData, type Hex, type LocalAccount } from 'viem';
import { DEFAULT_BREAK_GLASS_SECONDS } from '../chain/contract.js';
import { checkGenesis } from '../chain/genesis.js';
import type { GenesisConfig } from '../chain/types.js';
import { InvalidArgumentError, LedgerError } from '../errors.js';
import type { PartyAccounts } from './accounts.js';
import { PERMISSIONS_ABI, PERMISSIONS_BYTECODE } from './artifact.js';
import { checkCount, DEFAULTS, makeClient, type NodeConnection } from './client.js';
import { b64hex } from './codec.js';
import { Sender } from './sender.js';

/** Options of {@link deployPermissions}. */
export type DeployOptions = NodeConnection & {
  /** The account that sends the deployment (any funded account; not a party). */
  readonly deployer: LocalAccount;
  /** The ledger's genesis: its `chainId` is the bpds chain id transactions name. */
  readonly genesis: GenesisConfig;
  /** Where the authorities' EVM addresses come from. */
  readonly accounts: PartyAccounts;
  /** Creation bytecode (default: the committed artifact; pass a `london` build for GoQuorum). */
  readonly bytecode?: Hex;
  /** Legacy gas price (0n on gas-free networks); default EIP-1559 fees. */
  readonly gasPrice?: bigint;
  readonly confirmations?: number;
  readonly pollingIntervalMs?: number;
  readonly timeoutMs?: number;
};

/** A deployed permission contract. */
export interface Deployment {
  readonly address: Address;
  readonly blockNumber: bigint;
  readonly transactionHash: Hex;
  readonly gasUsed: bigint;
}

/**
 * Deploy the permission contract and wait for it to be mined (and confirmed).
 *
 * @throws InvalidArgumentError for a malformed genesis or option
 * @throws LedgerError `NO_ACCOUNT` when an authority has no address, `NODE_UNAVAILABLE`,
 *   `TX_REJECTED` or `TX_REVERTED` when the node or chain refuses
 * @example
 * ```ts
 * import { deployPermissions, EvmLedger, PartyKeyring } from 'bpds/evm';
 * import { privateKeyToAccount } from 'viem/accounts';
 * declare const genesis: import('bpds/chain').GenesisConfig;
 * const accounts = new PartyKeyring({ generate: true });
 * const deployer = privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
 * const rpcUrl = 'http://127.0.0.1:8545';
 * const { address } = await deployPermissions({ rpcUrl, deployer, genesis, accounts, gasPrice: 0n });
 * const ledger = await EvmLedger.connect({ rpcUrl, address, accounts, gasPrice: 0n });
 * ```
 */
export async function deployPermissions(options: DeployOptions): Promise<Deployment> {
  const o = options;
  const genesis = checkGenesis(o.genesis);
  if (typeof o.deployer?.signTransaction !== 'function')
    throw new InvalidArgumentError('"deployer" expected a local account');
  if (o.bytecode !== undefined && !/^0x([0-9a-fA-F]{2})+$/.test(o.bytecode)) {
    throw new InvalidArgumentError('"bytecode" expected 0x-hex');
  }
  const pollingIntervalMs =
    checkCount(o.pollingIntervalMs, 'pollingIntervalMs', 1, 600_000) ?? DEFAULTS.pollingIntervalMs;
  const timeoutMs = checkCount(o.timeoutMs, 'timeoutMs', 1, 3_600_000) ?? DEFAULTS.timeoutMs;
  const confirmations = checkCount(o.confirmations, 'confirmations', 1, 1000) ?? DEFAULTS.confirmations;
  const client = makeClient(o, pollingIntervalMs, timeoutMs);
  const addresses = genesis.authorities.map((a) => {
    const addr = o.accounts.address(a.id);
    if (addr === undefined) throw new LedgerError('NO_ACCOUNT', `no EVM address known for authority "${a.id}"`);
    return addr;
  });
  const data = encodeDeployData({
    abi: PERMISSIONS_ABI,
    bytecode: o.bytecode ?? PERMISSIONS_BYTECODE,
    args: [
      genesis.chainId,
      genesis.authorities.map((a) => a.id),
      genesis.authorities.map((a) => b64hex(a.publicKey)),
      addresses,
      BigInt(genesis.breakGlassSeconds ?? DEFAULT_BREAK_GLASS_SECONDS),
    ],
  });
  const sender = new Sender(client, {
    confirmations,
    pollingIntervalMs,
    timeoutMs,
    ...(o.gasPrice === undefined ? {} : { gasPrice: o.gasPrice }),
  });
  const r = await sender.send(o.deployer, undefined, data);
  if (r.status !== 'success' || r.contractAddress == null) {
    throw new LedgerError('TX_REVERTED', 'the deployment reverted');
  }
  return {
    address: r.contractAddress,
    blockNumber: r.blockNumber,
    transactionHash: r.transactionHash,
    gasUsed: r.gasUsed,
  };
}
