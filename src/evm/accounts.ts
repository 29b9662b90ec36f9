/**
 * Which EVM account acts for which bpds party. On an EVM chain `msg.sender` is the actor: every
 * party (authority, hospital, patient, requester) sends its transactions from its own secp256k1
 * account, and the contract binds each party id to one account at registration. The Ed25519
 * transaction signature (`bpds/chain`) is verified by `EvmLedger` before sending, exactly as
 * `MemoryLedger` verifies it; the account key only authenticates the sender to the chain.
 */
import type { Address, LocalAccount } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { InvalidArgumentError } from '../errors.js';
import { assertString } from '../internal/assert.js';
import { toHex } from '../internal/bytes.js';
import { refuseLiveJson } from '../internal/json-form.js';
import { randomBytes } from '../internal/random.js';

/**
 * The directory `EvmLedger` asks: the signing account of a party whose transaction it sends, and
 * the address of a party being registered (an authority registers a hospital or requester with
 * the address that party will act from).
 */
export interface PartyAccounts {
  /** The account that signs for party `id`, or undefined if this process holds none. */
  signer(id: string): LocalAccount | undefined;
  /** The EVM address of party `id`, or undefined if unknown. */
  address(id: string): Address | undefined;
}

/** Options of {@link PartyKeyring}. */
export interface PartyKeyringOptions {
  /** Generate a fresh account (platform CSPRNG) for a party asked about for the first time. Default false. */
  readonly generate?: boolean;
}

/**
 * An in-memory {@link PartyAccounts}: secp256k1 keys per party id, and addresses of parties
 * whose keys live elsewhere. With `generate: true` (development chains, tests, the demo) every
 * new party gets a fresh account; on a gas-free consortium network (`gasPrice: 0`) it needs no funds.
 *
 * @example
 * ```ts
 * import { PartyKeyring } from 'bpds/evm';
 * const keyring = new PartyKeyring({ generate: true });
 * const address = keyring.address('st-mary'); // a fresh account for the hospital
 * keyring.setAddress('dr-chen', '0x000000000000000000000000000000000000dEaD');
 * ```
 */
export class PartyKeyring implements PartyAccounts {
  readonly #accounts = new Map<string, LocalAccount>();
  readonly #addresses = new Map<string, Address>();
  readonly #generate: boolean;

  /** @throws InvalidArgumentError for a malformed option */
  constructor(options: PartyKeyringOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('"options" expected an object');
    if (options.generate !== undefined && typeof options.generate !== 'boolean') {
      throw new InvalidArgumentError('"options.generate" expected boolean');
    }
    this.#generate = options.generate === true;
  }

  /**
   * Hold the secp256k1 key of party `id` (32 bytes or 0x-hex).
   *
   * @throws InvalidArgumentError for a malformed id or key
   */
  add(id: string, privateKey: Uint8Array | `0x${string}`): LocalAccount {
    assertString(id, 'id', 256);
    const hex = typeof privateKey === 'string' ? privateKey : (`0x${toHex(privateKey)}` as const);
    if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new InvalidArgumentError('"privateKey" expected 32 bytes');
    let account: LocalAccount;
    try {
      account = privateKeyToAccount(hex);
    } catch (cause) {
      throw new InvalidArgumentError('"privateKey" is not a valid secp256k1 key', { cause });
    }
    this.#accounts.set(id, account);
    this.#addresses.set(id, account.address);
    return account;
  }

  /**
   * Record the address of a party whose key is held elsewhere.
   *
   * @throws InvalidArgumentError for a malformed id or address
   */
  setAddress(id: string, address: Address): void {
    assertString(id, 'id', 256);
    if (typeof address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(address)) {
      throw new InvalidArgumentError('"address" expected a 20-byte 0x-hex address');
    }
    this.#addresses.set(id, address);
  }

  /** @inheritdoc */
  signer(id: string): LocalAccount | undefined {
    return this.#accounts.get(id) ?? (this.#generate ? this.#fresh(id) : undefined);
  }

  /** @inheritdoc */
  address(id: string): Address | undefined {
    return this.#addresses.get(id) ?? (this.#generate ? this.#fresh(id).address : undefined);
  }

  #fresh(id: string): LocalAccount {
    for (;;) {
      try {
        return this.add(id, randomBytes(32));
      } catch {
        // a key >= the secp256k1 order (probability ~2^-128): draw again
      }
    }
  }

  /**
   * No JSON form: a PartyKeyring is a live object, so `JSON.stringify` throws
   * rather than write `{}` or a few public fields.
   *
   * @throws InvalidArgumentError always
   */
  toJSON(): never {
    return refuseLiveJson('a PartyKeyring', 'it holds secp256k1 account keys; keep the keys you added instead');
  }
}
