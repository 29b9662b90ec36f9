/**
 * The JSON-RPC client of `bpds/evm`: an HTTP(S) URL or any EIP-1193 provider. Internal.
 */
import { createPublicClient, custom, type EIP1193Provider, http, type PublicClient } from 'viem';
import { InvalidArgumentError } from '../errors.js';

/** Where the node is: a JSON-RPC URL or an EIP-1193 provider (e.g. a wallet's `window.ethereum`). */
export type NodeConnection = { readonly rpcUrl: string } | { readonly provider: EIP1193Provider };

/** Defaults of the send settings. */
export const DEFAULTS = { confirmations: 1, pollingIntervalMs: 1000, timeoutMs: 60_000 } as const;

export function makeClient(c: NodeConnection, pollingIntervalMs: number, timeoutMs: number): PublicClient {
  if (typeof c !== 'object' || c === null) throw new InvalidArgumentError('"options" expected an object');
  let transport: ReturnType<typeof http> | ReturnType<typeof custom>;
  if ('rpcUrl' in c && c.rpcUrl !== undefined) {
    if (typeof c.rpcUrl !== 'string' || !/^https?:\/\//.test(c.rpcUrl)) {
      throw new InvalidArgumentError('"rpcUrl" expected an http(s) URL');
    }
    transport = http(c.rpcUrl, { retryCount: 0, timeout: timeoutMs });
  } else if ('provider' in c && typeof c.provider?.request === 'function') {
    transport = custom(c.provider, { retryCount: 0 });
  } else {
    throw new InvalidArgumentError('give "rpcUrl" or an EIP-1193 "provider"');
  }
  return createPublicClient({ transport, pollingInterval: pollingIntervalMs }) as PublicClient;
}

export function checkCount(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new InvalidArgumentError(`"${name}" expected an integer in [${min}, ${max}]`);
  }
  return v;
}
