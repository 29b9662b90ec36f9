/**
 * Sending contract calls from party accounts: one lane per account, so concurrent submissions
 * from one account get consecutive nonces (the nonce is read once from the node, counted locally,
 * and re-read after any failure), and failures of the node as typed `LedgerError`s. Internal.
 */
import {
  type Address,
  decodeErrorResult,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
} from 'viem';
import { BpdsError, LedgerError } from '../errors.js';
import { PERMISSIONS_ABI } from './artifact.js';
import { revertError } from './reasons.js';

/** Send options shared by the ledger and the deploy function. */
export interface SendSettings {
  /** Legacy gas price for every transaction (0n on gas-free consortium networks); default: EIP-1559 fees from the node. */
  readonly gasPrice?: bigint;
  /** Blocks to wait for (1 = mined). */
  readonly confirmations: number;
  /** Receipt polling interval and timeout (ms). */
  readonly pollingIntervalMs: number;
  readonly timeoutMs: number;
}

const NODE_DOWN =
  /HttpRequestError|TimeoutError|SocketClosedError|WebSocketRequestError|fetch failed|ECONNREFUSED|ECONNRESET|socket hang up|other side closed/i;

function walk(e: unknown): unknown[] {
  const out: unknown[] = [];
  for (let x = e, i = 0; x !== undefined && x !== null && i < 16; i++) {
    out.push(x);
    x = (x as { cause?: unknown }).cause;
  }
  return out;
}

/** The revert data in a viem error chain, if the call reverted with data. */
function revertData(e: unknown): Hex | undefined {
  for (const x of walk(e)) {
    const d = (x as { data?: unknown }).data;
    if (typeof d === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(d)) return d as Hex;
    if (typeof d === 'object' && d !== null && typeof (d as { data?: unknown }).data === 'string') {
      const dd = (d as { data: string }).data;
      if (/^0x[0-9a-fA-F]{8,}$/.test(dd)) return dd as Hex;
    }
  }
  return undefined;
}

/** A typed error for anything a node call threw. */
export function nodeError(e: unknown, what: string): BpdsError {
  if (e instanceof BpdsError) return e;
  const data = revertData(e);
  if (data !== undefined) {
    try {
      return revertError(decodeErrorResult({ abi: PERMISSIONS_ABI, data }).errorName, e);
    } catch {
      return new LedgerError('TX_REVERTED', `${what}: the contract reverted with unknown data`, { cause: e });
    }
  }
  const text = walk(e)
    .map((x) => `${(x as Error).name ?? ''} ${(x as Error).message ?? ''}`)
    .join(' ');
  if (NODE_DOWN.test(text))
    return new LedgerError('NODE_UNAVAILABLE', `${what}: the EVM node does not answer`, { cause: e });
  if (/revert/i.test(text)) return new LedgerError('TX_REVERTED', `${what}: the contract reverted`, { cause: e });
  return new LedgerError('TX_REJECTED', `${what}: the node refused (${(e as Error).message?.split('\n')[0]})`, {
    cause: e,
  });
}

/** One account's queue: a nonce counter and the transactions it has in flight. */
class Lane {
  tail: Promise<unknown> = Promise.resolve();
  nonce: number | undefined;
  readonly inflight = new Set<Promise<unknown>>();
}

/** Sends calls to one contract, one lane per account. */
export class Sender {
  readonly #lanes = new Map<Address, Lane>();
  #chainId: number | undefined;

  constructor(
    readonly client: PublicClient,
    readonly settings: SendSettings,
  ) {}

  /** Simulate a call: the typed refusal it would meet, or undefined if it passes. */
  async simulate(from: Address, to: Address, data: Hex, blockNumber?: bigint): Promise<BpdsError | undefined> {
    try {
      await this.client.call({ account: from, to, data, ...(blockNumber === undefined ? {} : { blockNumber }) });
      return undefined;
    } catch (e) {
      return nodeError(e, 'simulation');
    }
  }

  /**
   * Send `data` from `account` (to a contract, or a deployment when `to` is undefined); resolves
   * once the transaction has `confirmations` confirmations. A refusal found when estimating gas
   * is thrown without sending (no nonce is used).
   */
  async send(account: LocalAccount, to: Address | undefined, data: Hex): Promise<TransactionReceipt> {
    let lane = this.#lanes.get(account.address);
    if (lane === undefined) {
      lane = new Lane();
      this.#lanes.set(account.address, lane);
    }
    const l = lane;
    const sent = l.tail.then(() => this.#sign(account, l, to, data));
    l.tail = sent.catch(() => undefined);
    const hash = await sent;
    const done = this.#receipt(hash);
    l.inflight.add(done);
    try {
      return await done;
    } finally {
      l.inflight.delete(done);
    }
  }

  async #sign(account: LocalAccount, lane: Lane, to: Address | undefined, data: Hex): Promise<Hex> {
    const c = this.client;
    const req = { account: account.address, data, ...(to === undefined ? {} : { to }) };
    let gas: bigint;
    try {
      gas = await c.estimateGas(req);
    } catch (e) {
      const err = nodeError(e, 'gas estimation');
      if (!(err instanceof LedgerError) || err.reason === 'NODE_UNAVAILABLE' || lane.inflight.size === 0) throw err;
      // An earlier transaction of this account may not be mined yet: wait for it, then retry once.
      await Promise.allSettled([...lane.inflight]);
      try {
        gas = await c.estimateGas(req);
      } catch (e2) {
        throw nodeError(e2, 'gas estimation');
      }
    }
    for (let attempt = 0; ; attempt++) {
      try {
        this.#chainId ??= await c.getChainId();
        lane.nonce ??= await c.getTransactionCount({ address: account.address, blockTag: 'pending' });
        const fees =
          this.settings.gasPrice !== undefined
            ? { type: 'legacy' as const, gasPrice: this.settings.gasPrice }
            : { type: 'eip1559' as const, ...(await c.estimateFeesPerGas()) };
        const serializedTransaction = await account.signTransaction({
          ...(to === undefined ? {} : { to }),
          data,
          gas: (gas * 6n) / 5n + 20_000n,
          nonce: lane.nonce,
          chainId: this.#chainId,
          ...fees,
        } as never);
        const hash = await c.sendRawTransaction({ serializedTransaction });
        lane.nonce++;
        return hash;
      } catch (e) {
        lane.nonce = undefined; // re-read from the node next time
        const msg = walk(e)
          .map((x) => (x as Error).message ?? '')
          .join(' ');
        if (attempt === 0 && /nonce/i.test(msg) && !NODE_DOWN.test(msg)) continue;
        throw nodeError(e, 'sending the transaction');
      }
    }
  }

  async #receipt(hash: Hex): Promise<TransactionReceipt> {
    const { confirmations, pollingIntervalMs, timeoutMs } = this.settings;
    try {
      if (confirmations > 1) {
        return await this.client.waitForTransactionReceipt({
          hash,
          confirmations,
          pollingInterval: pollingIntervalMs,
          timeout: timeoutMs,
        });
      }
      // Mined is enough: ask at once (instant-sealing chains answer the first time), then poll.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const r = await this.client.getTransactionReceipt({ hash }).catch((e: unknown) => {
          if ((e as Error).name === 'TransactionReceiptNotFoundError') return undefined;
          throw e;
        });
        if (r !== undefined) return r;
        if (Date.now() > deadline) throw new Error(`TimeoutError: no receipt within ${timeoutMs} ms`);
        await new Promise((ok) => setTimeout(ok, pollingIntervalMs));
      }
    } catch (e) {
      const err = nodeError(e, `waiting for transaction ${hash}`);
      if (err instanceof LedgerError && err.reason !== 'NODE_UNAVAILABLE') throw err;
      throw new LedgerError(
        'NODE_UNAVAILABLE',
        `no receipt for transaction ${hash}: the node is down or the transaction is not mined yet (it may still be; read the ledger before resubmitting)`,
        { cause: e },
      );
    }
  }
}
