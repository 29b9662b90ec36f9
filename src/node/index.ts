/**
 * bpds/node: the Node-only pieces, kept out of the browser-facing entry points
 * (`bpds` and every module subpath reach no Node built-in; test/architecture.test.ts
 * checks it). Here: {@link FileBlobStore}, a content-addressed blob store on the
 * local filesystem, and {@link saveLedgerFile}/{@link loadLedgerFile}, the JSON
 * Lines persistence of a `MemoryLedger`.
 *
 * @example
 * ```ts
 * import { FileBlobStore, saveLedgerFile } from 'bpds/node';
 * import { MemoryLedger } from 'bpds/chain';
 * import { generateSigningKey } from 'bpds/index-record';
 * import { mkdtemp } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const dir = await mkdtemp(join(tmpdir(), 'bpds-'));
 * const store = new FileBlobStore(join(dir, 'blobs'));
 * const authority = generateSigningKey();
 * const ledger = new MemoryLedger({
 *   chainId: 'demo',
 *   authorities: [{ id: 'ministry', publicKey: authority.publicKey }],
 * });
 * const head = await saveLedgerFile(ledger, join(dir, 'ledger.jsonl'));
 * ```
 *
 * @module node
 */
export { loadLedgerFile, saveLedgerFile } from '../chain/jsonl-file.js';
export type { BlobStore, BlobStoreOptions } from '../protocol/blob-store.js';
export { FileBlobStore } from '../protocol/file-blob-store.js';
