/**
 * `MemoryLedger`: an in-process consortium chain for tests, demos and research.
 *
 * Blocks in the style of Bitcoin (Nakamoto 2008, §3-§4) and Hyperledger Fabric's
 * orderer: an ordered list of applied transactions per block, each block header
 * hash-linked to its predecessor and committing to its entries with an RFC 6962
 * Merkle root (`bpds/index-record` `merkleRoot`). Block 0 commits to the genesis
 * configuration. Transactions are applied in the order `submit` was called, so
 * concurrent submissions keep one consistent order; blocks are cut every
 * `maxBlockTxs` applied transactions and on `seal()`. Everything is deterministic
 * given the transactions and the clock.
 */
import { InvalidArgumentError, LedgerError } from '../errors.js';
import { formatTimestamp, timestamp } from '../index-record/internal/fields.js';
import { merkleRoot } from '../index-record/merkle.js';
import type { IndexRecord } from '../index-record/record.js';
import { assertInteger, assertObject, assertString } from '../internal/assert.js';
import { toBase64url } from '../internal/bytes.js';
import { canonicalizeJson } from '../internal/jcs.js';
import { refuseLiveJson } from '../internal/json-form.js';
import { parseJsonStrict } from '../internal/strict-json.js';
import {
  type Block,
  type BlockEntry,
  type BlockHeader,
  blockHash,
  type ChainCheck,
  checkBlock,
  entryDigest,
} from './block.js';
import { PermissionContract } from './contract.js';
import { checkGenesis, genesisDigest } from './genesis.js';
import { type CheckedTransaction, checkTransaction, deepFreeze } from './transaction.js';
import type {
  Anchor,
  GenesisConfig,
  Grant,
  Ledger,
  LedgerEvent,
  Party,
  SignedTransaction,
  TxReceipt,
} from './types.js';
import { verifyTransaction } from './verify.js';

/** Options of {@link MemoryLedger}. */
export interface MemoryLedgerOptions {
  /** Clock in milliseconds since the epoch (default `Date.now`); inject one for expiry tests. */
  now?: () => number;
  /** Cut a block after this many transactions (default 256). */
  maxBlockTxs?: number;
}

const MAX_BLOCK_TXS = 256;

/**
 * An in-process consortium chain implementing {@link Ledger} with the BPDS permission
 * contract, signature verification on every transaction, hash-linked Merkle-rooted
 * blocks, tamper detection and JSON Lines persistence.
 *
 * @example
 * ```ts
 * import { createTransaction, MemoryLedger } from 'bpds/chain';
 * import { generateSigningKey } from 'bpds/index-record';
 * const authority = generateSigningKey();
 * const ledger = new MemoryLedger({
 *   chainId: 'bpds-demo',
 *   authorities: [{ id: 'ministry', publicKey: authority.publicKey }],
 * });
 * const patient = generateSigningKey();
 * await ledger.submit(createTransaction('bpds-demo', 'p-1', 'registerPatient',
 *   { id: 'p-1', publicKey: patient.publicKey }, patient.secretKey));
 * ledger.seal();
 * console.log(ledger.verifyChain()); // { ok: true, height: 1 }
 * ```
 */
export class MemoryLedger implements Ledger {
  /** The ledger's id (transactions name it). */
  readonly chainId: string;
  /** The genesis configuration committed in block 0. */
  readonly genesis: GenesisConfig;
  readonly #contract: PermissionContract;
  #now: () => number;
  #maxBlockTxs: number;
  readonly #blocks: Block[] = [];
  /** Hashes recorded when each block was sealed: the checkpoint `verifyChain` compares with. */
  readonly #sealed: string[] = [];
  #pending: { entry: BlockEntry; digest: Uint8Array }[] = [];
  #tail: Promise<unknown> = Promise.resolve();
  readonly #listeners = new Set<(e: LedgerEvent) => void>();

  /**
   * @param genesis chain id, authorities (who register hospitals and requesters), break-glass window
   * @param options clock and block size
   * @throws InvalidArgumentError for a malformed genesis configuration or option (named)
   */
  constructor(genesis: GenesisConfig, options: MemoryLedgerOptions = {}) {
    this.genesis = checkGenesis(genesis);
    this.chainId = this.genesis.chainId;
    assertObject(options, 'options');
    const o = options as MemoryLedgerOptions;
    if (o.now !== undefined && typeof o.now !== 'function') {
      throw new InvalidArgumentError('"options.now" expected a function');
    }
    this.#now = o.now ?? Date.now;
    this.#maxBlockTxs = o.maxBlockTxs ?? MAX_BLOCK_TXS;
    assertInteger(this.#maxBlockTxs, 'options.maxBlockTxs', 1, 1_000_000);
    this.#contract = new PermissionContract(this.genesis);
    this.#seal(this.#time(), []);
  }

  #time(): number {
    const t = this.#now();
    if (!Number.isSafeInteger(t) || t < 0) throw new LedgerError('BAD_CLOCK', 'the clock returned an invalid time');
    return t;
  }

  /**
   * Submit a signed transaction. Structure is checked at once; signatures are verified
   * (concurrently with other submissions); then the contract applies it in submission order.
   *
   * @throws LedgerError (as a rejected promise): `MALFORMED_TRANSACTION`, `BAD_SIGNATURE`,
   *   `WRONG_CHAIN`, `REPLAYED_NONCE`, `UNKNOWN_ACTOR`, `UNAUTHORIZED_SIGNER`, `UNKNOWN_RECORD`, ...
   */
  submit(tx: SignedTransaction): Promise<TxReceipt> {
    let c: CheckedTransaction;
    try {
      c = checkTransaction(tx);
    } catch (cause) {
      return Promise.reject(new LedgerError('MALFORMED_TRANSACTION', (cause as Error).message, { cause }));
    }
    return this.#enqueue(c, verifyTransaction(c), undefined);
  }

  #enqueue(
    c: CheckedTransaction,
    sigs: ReturnType<typeof verifyTransaction>,
    time: number | undefined,
  ): Promise<TxReceipt> {
    // `sigs` never rejects (verifyTransaction catches everything), so nothing rejects unobserved
    // while it waits for its turn; `run` is the caller's promise, `#tail` swallows its outcome.
    const run = this.#tail.then(async () => {
      const s = await sigs;
      if (!s.tx) throw new LedgerError('BAD_SIGNATURE', 'the transaction signature does not verify');
      return this.#apply(c, s.record, time ?? this.#time());
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  #apply(c: CheckedTransaction, recordOk: boolean, time: number): TxReceipt {
    const seq = this.#contract.seq;
    const result = this.#contract.apply(c, time, recordOk);
    const entry: BlockEntry = deepFreeze({ tx: c.tx, time: formatTimestamp(time) });
    this.#pending.push({ entry, digest: entryDigest(c.id, c.sig, entry.time) });
    const height = this.#blocks.length;
    if (this.#pending.length >= this.#maxBlockTxs) this.seal();
    for (const e of result.events) {
      for (const l of this.#listeners) {
        try {
          l(e);
        } catch {
          // A failing listener must not break the ledger.
        }
      }
    }
    const receipt: Record<string, unknown> = { txId: c.idText, seq, height, events: result.events };
    if (result.decision !== undefined) receipt.decision = result.decision;
    return receipt as unknown as TxReceipt;
  }

  /**
   * Cut a block from the applied transactions not yet in a block (none: no block).
   * Returns the new height, or the current one if nothing was pending.
   */
  seal(): number {
    if (this.#pending.length === 0) return this.#blocks.length - 1;
    const p = this.#pending;
    this.#pending = [];
    return this.#seal(this.#time(), p);
  }

  #seal(time: number, p: { entry: BlockEntry; digest: Uint8Array }[]): number {
    const height = this.#blocks.length;
    const prev = height === 0 ? genesisDigest(this.genesis) : (this.#blocks[height - 1] as Block).hash;
    const header: BlockHeader = {
      v: 1,
      chain: this.chainId,
      height,
      prev,
      time: formatTimestamp(time),
      txRoot: toBase64url(merkleRoot(p.map((x) => x.digest))),
      txCount: p.length,
    };
    const hash = blockHash(header);
    // Not frozen on purpose: `blocks` exposes the stored objects so tampering can be studied.
    this.#blocks.push({ header, entries: p.map((x) => x.entry), hash });
    this.#sealed.push(hash);
    return height;
  }

  /** Wait until every submitted transaction has been applied or rejected. */
  async settled(): Promise<void> {
    await this.#tail;
  }

  /**
   * The stored blocks, oldest first. These are the ledger's own objects (for inspection and
   * tamper experiments): changing them is detected by {@link MemoryLedger.verifyChain}.
   */
  get blocks(): readonly Block[] {
    return this.#blocks;
  }

  /** Height of the last sealed block. */
  get height(): number {
    return this.#blocks.length - 1;
  }

  /** Hash of the last sealed block. */
  get head(): string {
    return this.#sealed[this.#sealed.length - 1] as string;
  }

  /**
   * Recompute every block: entry digests from the stored transactions, Merkle roots,
   * heights, hash links from the genesis digest, and each block hash against the one
   * recorded when it was sealed. Reports the first block that does not match.
   */
  verifyChain(): ChainCheck {
    let prev = genesisDigest(this.genesis);
    for (let h = 0; h < this.#blocks.length; h++) {
      const reason = checkBlock(this.#blocks[h] as Block, h, prev, this.chainId);
      if (reason !== undefined) return { ok: false, height: h, reason };
      const b = this.#blocks[h] as Block;
      if (b.hash !== this.#sealed[h]) return { ok: false, height: h, reason: 'block hash differs from the sealed one' };
      prev = b.hash;
    }
    return { ok: true, height: this.#blocks.length - 1 };
  }

  // --- Ledger reads ---

  /** @inheritdoc */
  async getRecord(recordId: string): Promise<IndexRecord | undefined> {
    return this.#contract.getRecord(recordId);
  }
  /** @inheritdoc */
  async listRecords(patient: string): Promise<readonly IndexRecord[]> {
    return this.#contract.listRecords(patient);
  }
  /** base64url digest of a patient's latest record: the `previous` of their next record. */
  async getRecordHead(patient: string): Promise<string | undefined> {
    return this.#contract.headOf(patient);
  }
  /** @inheritdoc */
  async getPermissions(recordId: string): Promise<readonly Grant[]> {
    return this.#contract.getPermissions(recordId);
  }
  /** @inheritdoc */
  async getAnchor(root: string): Promise<Anchor | undefined> {
    return this.#contract.getAnchor(root);
  }
  /** @inheritdoc */
  async getParty(id: string): Promise<Party | undefined> {
    return this.#contract.getParty(id);
  }
  /** @inheritdoc */
  async getCustodians(patient: string): Promise<readonly string[]> {
    return this.#contract.getCustodians(patient);
  }
  /** @inheritdoc */
  async getAuditLog(patient: string): Promise<readonly LedgerEvent[]> {
    return this.#contract.getAuditLog(patient);
  }
  /** @inheritdoc */
  subscribe(listener: (event: LedgerEvent) => void): () => void {
    if (typeof listener !== 'function') throw new InvalidArgumentError('"listener" expected a function');
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  // --- persistence ---

  /**
   * JSON Lines: the genesis configuration, then one block per line (canonical JSON).
   * Seals pending transactions first.
   */
  toJsonLines(): string {
    this.seal();
    const lines = [canonicalizeJson({ genesis: this.genesis })];
    for (const b of this.#blocks) lines.push(canonicalizeJson(b));
    return `${lines.join('\n')}\n`;
  }

  /**
   * Rebuild a ledger from {@link MemoryLedger.toJsonLines} output by replaying every
   * transaction (signatures verified, contract rules applied at the recorded times) and
   * re-deriving every block. Any change to the text is detected, except a consistent
   * rewrite of the last blocks by someone able to sign their transactions: pass
   * `expectedHead` (a hash kept elsewhere) to rule that out too.
   *
   * @throws LedgerError `TAMPERED_CHAIN` (as the rejection of the returned promise, the only one
   *   that can reject) for any defect of the text: a line that is not strict JSON, a malformed
   *   genesis configuration, a line that is not a block, a block that does not re-derive; `cause`
   *   holds the underlying error
   * @throws InvalidArgumentError when `text` is not a string or `options` not an object
   */
  static async fromJsonLines(
    text: string,
    options: MemoryLedgerOptions & { expectedHead?: string } = {},
  ): Promise<MemoryLedger> {
    assertString(text, 'text');
    assertObject(options, 'options');
    try {
      return await MemoryLedger.#replay(text, options);
    } catch (e) {
      if (e instanceof LedgerError && e.reason === 'TAMPERED_CHAIN') throw e;
      // Whatever went wrong in the text (not strict JSON, a malformed genesis, a structurally odd
      // line such as null where a block is expected): one typed refusal, the cause attached.
      throw new LedgerError('TAMPERED_CHAIN', 'the text is not a well-formed ledger export', { cause: e });
    }
  }

  static async #replay(text: string, options: MemoryLedgerOptions & { expectedHead?: string }): Promise<MemoryLedger> {
    const lines = text.split('\n').filter((l) => l.length > 0);
    const first = parseJsonStrict(lines[0] ?? '', { maxDepth: 8 }) as { genesis?: GenesisConfig };
    if (typeof first !== 'object' || first === null || first.genesis === undefined) {
      throw new LedgerError('TAMPERED_CHAIN', 'the first line is not a genesis configuration');
    }
    const { expectedHead, ...opts } = options;
    let clock = 0;
    const ledger = new MemoryLedger(first.genesis, { ...opts, now: () => clock, maxBlockTxs: 1_000_000 });
    for (let i = 1; i < lines.length; i++) {
      const raw = parseJsonStrict(lines[i] as string, { maxDepth: 24, maxLength: 64 * 1024 * 1024 }) as Block;
      if (
        typeof raw !== 'object' ||
        raw === null ||
        !Array.isArray(raw.entries) ||
        typeof raw.header !== 'object' ||
        raw.header === null
      ) {
        throw new LedgerError('TAMPERED_CHAIN', `line ${i + 1} is not a block`);
      }
      if (i === 1) {
        if (raw.entries.length !== 0) throw new LedgerError('TAMPERED_CHAIN', 'block 0 must be empty');
        ledger.#blocks.length = 0;
        ledger.#sealed.length = 0;
        ledger.#seal(timestamp(raw.header.time, 'block 0', 'header.time'), []);
      } else {
        // Check every entry of the block before enqueuing any: a synchronous failure after an
        // enqueue would leave that transaction's promise rejecting with no one awaiting it.
        const checked: { c: CheckedTransaction; time: number }[] = [];
        for (const e of raw.entries) {
          let c: CheckedTransaction;
          try {
            c = checkTransaction(e.tx);
          } catch (cause) {
            throw new LedgerError('TAMPERED_CHAIN', `block ${i - 1}: malformed transaction`, { cause });
          }
          checked.push({ c, time: timestamp(e.time, `block ${i - 1}`, 'entries.time') });
        }
        // No throw between here and the await: Promise.all holds every enqueued promise.
        const run = checked.map(({ c, time }) => ledger.#enqueue(c, verifyTransaction(c), time));
        try {
          await Promise.all(run);
        } catch (cause) {
          throw new LedgerError('TAMPERED_CHAIN', `block ${i - 1}: a transaction does not replay`, { cause });
        }
        const p = ledger.#pending;
        ledger.#pending = [];
        clock = timestamp(raw.header.time, `block ${i - 1}`, 'header.time');
        ledger.#seal(clock, p);
      }
      const mine = ledger.#blocks[i - 1] as Block;
      if (mine.hash !== raw.hash || canonicalizeJson(mine) !== canonicalizeJson(raw)) {
        throw new LedgerError('TAMPERED_CHAIN', `block ${i - 1} does not match its recorded hash`);
      }
    }
    if (ledger.#blocks.length !== lines.length - 1) throw new LedgerError('TAMPERED_CHAIN', 'missing block 0');
    if (expectedHead !== undefined && ledger.head !== expectedHead) {
      throw new LedgerError('TAMPERED_CHAIN', 'the last block is not the expected head');
    }
    ledger.#now = options.now ?? Date.now;
    ledger.#maxBlockTxs = options.maxBlockTxs ?? MAX_BLOCK_TXS;
    return ledger;
  }

  /**
   * No JSON form: a MemoryLedger is a live object, so `JSON.stringify` throws
   * rather than write `{}` or a few public fields.
   *
   * @throws InvalidArgumentError always
   */
  toJSON(): never {
    return refuseLiveJson('a MemoryLedger', 'persist it with saveLedgerFile from bpds/node');
  }
}
