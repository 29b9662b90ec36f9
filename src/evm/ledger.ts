/**
 * `EvmLedger`: the `Ledger` interface of `bpds/chain` over the BPDS permission contract on an EVM
 * chain (Hyperledger Besu, GoQuorum, anvil for development), through JSON-RPC or an EIP-1193
 * provider.
 *
 * BPDS (J. Liu, X. Li, L. Ye, H. Zhang, X. Du, M. Guizani, IEEE GLOBECOM 2018, arXiv:1811.03223)
 * keeps index records and the patients' permissions on a consortium chain under a smart contract.
 * `submit` validates the Ed25519-signed transaction and verifies its signatures exactly as
 * `MemoryLedger` does, then sends it as a contract call from the acting party's own EVM account
 * (`msg.sender` is the actor); the contract enforces the rules of `PermissionContract` and refuses
 * with custom errors, which become `LedgerError`s with the same reasons. Reads are `view` calls;
 * the audit log is one `eth_getLogs` query on the patient's indexed topic.
 */
import { type Address, encodeFunctionData, type Hex, type Log, type PublicClient } from 'viem';
import { attestationDigest } from '../chain/attestation.js';
import { type CheckedTransaction, checkTransaction } from '../chain/transaction.js';
import type {
  Anchor,
  Grant,
  Ledger,
  LedgerEvent,
  Party,
  SignedTransaction,
  TxBodies,
  TxReceipt,
} from '../chain/types.js';
import { verifyTransaction } from '../chain/verify.js';
import { InvalidArgumentError, LedgerError } from '../errors.js';
import { formatTimestamp } from '../index-record/internal/fields.js';
import type { IndexRecord } from '../index-record/types.js';
import { fromBase64url } from '../internal/bytes.js';
import { ed25519Verify } from '../internal/ed25519.js';
import { refuseLiveJson } from '../internal/json-form.js';
import type { PartyAccounts } from './accounts.js';
import { PERMISSIONS_ABI } from './artifact.js';
import { checkCount, DEFAULTS, makeClient, type NodeConnection } from './client.js';
import {
  decodeGrant,
  decodeParty,
  decodeRecord,
  encodeCall,
  type GrantStruct,
  hex,
  hexb64,
  type PartyStruct,
  type RecordStruct,
} from './codec.js';
import { type EventContext, PATIENT_TOPICS, seqOf, toLedgerEvents } from './events.js';
import { partyKey } from './policy-program.js';
import { nodeError, Sender } from './sender.js';

/** Options of {@link EvmLedger.connect}. */
export type EvmLedgerOptions = NodeConnection & {
  /** Address of the deployed permission contract ({@link deployPermissions}). */
  readonly address: Address;
  /** The EVM accounts parties act from, and the addresses of parties being registered. */
  readonly accounts: PartyAccounts;
  /** Blocks to wait for before `submit` resolves (default 1: mined; raise it on chains without instant finality). */
  readonly confirmations?: number;
  /** Legacy gas price for every transaction (`0n` on gas-free consortium networks); default: EIP-1559 fees. */
  readonly gasPrice?: bigint;
  /** Receipt and event polling interval in ms (default 1000). */
  readonly pollingIntervalMs?: number;
  /** How long to wait for a receipt or an RPC answer, in ms (default 60000). */
  readonly timeoutMs?: number;
};

/**
 * A {@link Ledger} on an EVM chain. Construct with {@link EvmLedger.connect}.
 *
 * @example
 * ```ts
 * import { EvmLedger, PartyKeyring } from 'bpds/evm';
 * const ledger = await EvmLedger.connect({
 *   rpcUrl: 'http://127.0.0.1:8545',
 *   address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
 *   accounts: new PartyKeyring({ generate: true }),
 *   gasPrice: 0n,
 * });
 * console.log(ledger.chainId);
 * ```
 */
export class EvmLedger implements Ledger {
  /** The bpds chain id stored in the contract (transactions name it). */
  readonly chainId: string;
  /** The contract's address. */
  readonly address: Address;
  /** Break-glass window in seconds. */
  readonly breakGlassSeconds: number;
  /** Block of the deployment (audit-log queries start there). */
  readonly deployBlock: bigint;
  readonly #client: PublicClient;
  readonly #sender: Sender;
  readonly #accounts: PartyAccounts;
  readonly #ids = new Map<Hex, string>();
  readonly #times = new Map<bigint, number>();

  private constructor(
    client: PublicClient,
    sender: Sender,
    o: EvmLedgerOptions,
    info: { chainId: string; window: number; deployBlock: bigint },
  ) {
    this.#client = client;
    this.#sender = sender;
    this.#accounts = o.accounts;
    this.address = o.address;
    this.chainId = info.chainId;
    this.breakGlassSeconds = info.window;
    this.deployBlock = info.deployBlock;
  }

  /**
   * Connect to a deployed permission contract (reads its chain id and settings).
   *
   * @throws InvalidArgumentError for malformed options
   * @throws LedgerError `NODE_UNAVAILABLE` when the node does not answer, `NO_CONTRACT` when no
   *   permission contract is at `address`
   */
  static async connect(options: EvmLedgerOptions): Promise<EvmLedger> {
    const o = options;
    if (typeof o !== 'object' || o === null) throw new InvalidArgumentError('"options" expected an object');
    if (typeof o.address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(o.address)) {
      throw new InvalidArgumentError('"address" expected a 20-byte 0x-hex address');
    }
    if (typeof o.accounts?.signer !== 'function' || typeof o.accounts.address !== 'function') {
      throw new InvalidArgumentError('"accounts" expected a PartyAccounts (e.g. a PartyKeyring)');
    }
    if (o.gasPrice !== undefined && (typeof o.gasPrice !== 'bigint' || o.gasPrice < 0n)) {
      throw new InvalidArgumentError('"gasPrice" expected a non-negative bigint');
    }
    const pollingIntervalMs =
      checkCount(o.pollingIntervalMs, 'pollingIntervalMs', 1, 600_000) ?? DEFAULTS.pollingIntervalMs;
    const timeoutMs = checkCount(o.timeoutMs, 'timeoutMs', 1, 3_600_000) ?? DEFAULTS.timeoutMs;
    const confirmations = checkCount(o.confirmations, 'confirmations', 1, 1000) ?? DEFAULTS.confirmations;
    const client = makeClient(o, pollingIntervalMs, timeoutMs);
    const read = (functionName: string) =>
      client.readContract({ address: o.address, abi: PERMISSIONS_ABI, functionName } as never) as Promise<unknown>;
    let info: { chainId: string; window: number; deployBlock: bigint };
    try {
      const code = await client.getCode({ address: o.address });
      if (code === undefined || code === '0x') {
        throw new LedgerError('NO_CONTRACT', `no contract at ${o.address}`);
      }
      const [chainId, window, deployBlock] = await Promise.all([
        read('chainName'),
        read('breakGlassSeconds'),
        read('deployBlock'),
      ]);
      info = { chainId: chainId as string, window: Number(window), deployBlock: deployBlock as bigint };
    } catch (e) {
      const err = nodeError(e, 'connecting');
      throw err instanceof LedgerError && err.reason !== 'NODE_UNAVAILABLE'
        ? new LedgerError('NO_CONTRACT', `no BPDS permission contract at ${o.address}`, { cause: e })
        : err;
    }
    const sender = new Sender(client, {
      confirmations,
      pollingIntervalMs,
      timeoutMs,
      ...(o.gasPrice === undefined ? {} : { gasPrice: o.gasPrice }),
    });
    return new EvmLedger(client, sender, o, info);
  }

  /**
   * Validate, verify and send a signed transaction from the actor's EVM account; resolves with
   * the receipt once mined with the configured confirmations.
   *
   * @throws LedgerError (as a rejected promise): the reasons of `MemoryLedger` (`MALFORMED_TRANSACTION`,
   *   `BAD_SIGNATURE`, `WRONG_CHAIN`, `REPLAYED_NONCE`, `UNKNOWN_RECORD`, ...), and `NO_ACCOUNT`,
   *   `NODE_UNAVAILABLE`, `TX_REJECTED`, `TX_REVERTED`
   */
  async submit(tx: SignedTransaction): Promise<TxReceipt> {
    let c: CheckedTransaction;
    try {
      c = checkTransaction(tx);
    } catch (cause) {
      throw new LedgerError('MALFORMED_TRANSACTION', (cause as Error).message, { cause });
    }
    const sigs = await verifyTransaction(c);
    if (!sigs.tx) throw new LedgerError('BAD_SIGNATURE', 'the transaction signature does not verify');
    if (c.tx.chain !== this.chainId) throw new LedgerError('WRONG_CHAIN', `transaction is for chain "${c.tx.chain}"`);
    const account = this.#accounts.signer(c.tx.actor);
    if (account === undefined) throw new LedgerError('NO_ACCOUNT', `no EVM account for party "${c.tx.actor}"`);
    this.#ids.set(partyKey(c.tx.actor), c.tx.actor);
    let call = encodeCall(c, sigs.record, (id) => this.#accounts.address(id));
    if (c.tx.type === 'registerPatient' && call.refusal === undefined && !(await this.#attested(c))) {
      call = {
        ...call,
        refusal: {
          reason: 'INVALID_ATTESTATION',
          message: "the attestation does not verify under the attester's registered key",
          before: ['REPLAYED_NONCE', 'UNAUTHORIZED_SIGNER', 'ALREADY_REGISTERED', 'INVALID_ATTESTATION'],
        },
      };
    }
    const data = encodeFunctionData({
      abi: PERMISSIONS_ABI,
      functionName: call.functionName,
      args: call.args,
    } as never);
    if (call.refusal !== undefined) {
      const first = await this.#sender.simulate(account.address, this.address, data);
      if (first instanceof LedgerError && call.refusal.before.includes(first.reason)) throw first;
      if (first instanceof LedgerError && first.reason === 'NODE_UNAVAILABLE') throw first;
      throw new LedgerError(call.refusal.reason, call.refusal.message);
    }
    const receipt = await this.#sender.send(account, this.address, data);
    if (receipt.status !== 'success') {
      const why = await this.#sender.simulate(account.address, this.address, data, receipt.blockNumber - 1n);
      throw why ?? new LedgerError('TX_REVERTED', `transaction ${receipt.transactionHash} reverted`);
    }
    const logs = receipt.logs.filter((l) => l.address.toLowerCase() === this.address.toLowerCase()) as Log[];
    const events = await this.#events(logs);
    const seq = seqOf(logs) ?? -1;
    const out: Record<string, unknown> = { txId: c.idText, seq, height: Number(receipt.blockNumber), events };
    const decided = events.find((e) => e.type === 'AccessDecided');
    if (decided?.decision !== undefined) out.decision = decided.decision;
    return out as unknown as TxReceipt;
  }

  /**
   * Whether a registerPatient's attestation verifies under the attester's registered key (read
   * from the contract); an attester that is not a hospital or authority is the contract's refusal.
   */
  async #attested(c: CheckedTransaction): Promise<boolean> {
    const b = c.tx.body as TxBodies['registerPatient'];
    const attester = await this.getParty(b.attestation.by);
    if (attester === undefined || (attester.role !== 'hospital' && attester.role !== 'authority')) return true;
    const digest = attestationDigest(this.chainId, b.id, b.publicKey, b.attestation.by);
    try {
      return ed25519Verify(fromBase64url(b.attestation.sig), digest, fromBase64url(attester.publicKey));
    } catch {
      return false;
    }
  }

  // --- reads ---

  async #view<T>(functionName: string, args: readonly unknown[]): Promise<T> {
    try {
      return (await this.#client.readContract({
        address: this.address,
        abi: PERMISSIONS_ABI,
        functionName,
        args,
      } as never)) as T;
    } catch (e) {
      throw nodeError(e, functionName);
    }
  }

  /** The party id of a party key (ids are immutable: cached). */
  async #idOf(key: Hex): Promise<string> {
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = (await this.#view<PartyStruct>('getParty', [key])).id;
      this.#ids.set(key, id);
    }
    return id;
  }

  async #timeOf(block: bigint): Promise<number> {
    let t = this.#times.get(block);
    if (t === undefined) {
      try {
        t = Number((await this.#client.getBlock({ blockNumber: block })).timestamp);
      } catch (e) {
        throw nodeError(e, 'reading a block');
      }
      if (this.#times.size > 4096) this.#times.clear();
      this.#times.set(block, t);
    }
    return t;
  }

  #events(logs: readonly Log[]): Promise<LedgerEvent[]> {
    const ctx: EventContext = { idOf: (k) => this.#idOf(k), timeOf: (b) => this.#timeOf(b) };
    return toLedgerEvents(logs, ctx, this.breakGlassSeconds);
  }

  /** @inheritdoc */
  async getRecord(recordId: string): Promise<IndexRecord | undefined> {
    const id = wordOf(recordId, 16);
    if (id === undefined) return undefined;
    const r = await this.#view<RecordStruct>('getRecord', [id]);
    if (/^0x0+$/.test(r.patient)) return undefined;
    return decodeRecord(r, await this.#idOf(r.patient), await this.#idOf(r.hospital));
  }

  /** @inheritdoc */
  async listRecords(patient: string): Promise<readonly IndexRecord[]> {
    const ids = await this.#view<readonly Hex[]>('getRecordIds', [partyKey(patient)]);
    const out = await Promise.all(ids.map((id) => this.getRecord(hexb64(id))));
    return out.filter((r): r is IndexRecord => r !== undefined);
  }

  /** base64url digest of a patient's latest record: the `previous` of their next record. */
  async getRecordHead(patient: string): Promise<string | undefined> {
    const h = await this.#view<Hex>('headOf', [partyKey(patient)]);
    return /^0x0+$/.test(h) ? undefined : hexb64(h);
  }

  /** @inheritdoc */
  async getPermissions(recordId: string): Promise<readonly Grant[]> {
    const id = wordOf(recordId, 16);
    if (id === undefined) return [];
    const ids = await this.#view<readonly Hex[]>('getGrantIds', [id]);
    const grants = await Promise.all(ids.map((g) => this.#view<GrantStruct>('getGrant', [g])));
    const keys = new Set(grants.flatMap((g) => [g.patient, g.grantedBy, ...(g.kind === 1 ? [g.requester] : [])]));
    await Promise.all([...keys].map((k) => this.#idOf(k)));
    return grants.map((g) => decodeGrant(g, (k) => this.#ids.get(k) as string));
  }

  /** @inheritdoc */
  async getAnchor(root: string): Promise<Anchor | undefined> {
    const r = wordOf(root, 32);
    if (r === undefined) return undefined;
    const a = await this.#view<{ hospital: Hex; count: number; anchoredAt: bigint; txId: Hex }>('getAnchor', [r]);
    if (a.anchoredAt === 0n) return undefined;
    return {
      root,
      count: Number(a.count),
      hospital: await this.#idOf(a.hospital),
      txId: hexb64(a.txId),
      anchoredAt: formatTimestamp(Number(a.anchoredAt) * 1000),
    };
  }

  /** @inheritdoc */
  async getParty(id: string): Promise<Party | undefined> {
    if (typeof id !== 'string') return undefined;
    const p = decodeParty(await this.#view<PartyStruct>('getParty', [partyKey(id)]));
    return p?.id === id ? p : undefined;
  }

  /** @inheritdoc */
  async getCustodians(patient: string): Promise<readonly string[]> {
    const keys = await this.#view<readonly Hex[]>('getCustodians', [partyKey(patient)]);
    return Promise.all(keys.map((k) => this.#idOf(k)));
  }

  /** @inheritdoc */
  async getAuditLog(patient: string): Promise<readonly LedgerEvent[]> {
    let logs: Log[];
    try {
      logs = (await this.#client.request({
        method: 'eth_getLogs',
        params: [
          {
            address: this.address,
            topics: [PATIENT_TOPICS, partyKey(patient)],
            fromBlock: `0x${this.deployBlock.toString(16)}`,
            toBlock: 'latest',
          },
        ],
      } as never)) as Log[];
    } catch (e) {
      throw nodeError(e, 'reading the audit log');
    }
    const fixed = logs.map((l) => ({ ...l, blockNumber: BigInt(l.blockNumber as unknown as string) }));
    return this.#events(fixed as Log[]);
  }

  /**
   * Call `listener` for every event from now on (polled every `pollingIntervalMs`); returns the
   * unsubscribe function. Events of one transaction arrive together, in chain order.
   *
   * @throws InvalidArgumentError if `listener` is not a function
   */
  subscribe(listener: (event: LedgerEvent) => void): () => void {
    if (typeof listener !== 'function') throw new InvalidArgumentError('"listener" expected a function');
    let chain: Promise<void> = Promise.resolve();
    const unwatch = this.#client.watchEvent({
      address: this.address,
      poll: true,
      onLogs: (logs) => {
        chain = chain
          .then(() => this.#events(logs as Log[]))
          .then((events) => {
            for (const e of events) {
              try {
                listener(e);
              } catch {
                // A failing listener must not break the ledger.
              }
            }
          })
          .catch(() => undefined);
      },
      onError: () => undefined,
    });
    return unwatch;
  }

  /**
   * No JSON form: an EvmLedger is a live object, so `JSON.stringify` throws
   * rather than write `{}` or a few public fields.
   *
   * @throws InvalidArgumentError always
   */
  toJSON(): never {
    return refuseLiveJson('an EvmLedger', 'keep its rpc URL and contract address, and connect again');
  }
}

function wordOf(b64: unknown, n: number): Hex | undefined {
  if (typeof b64 !== 'string') return undefined;
  try {
    const b = fromBase64url(b64);
    return b.length === n ? hex(b) : undefined;
  } catch {
    return undefined;
  }
}
