/**
 * Persistence of a {@link MemoryLedger} to a JSON Lines file, so a demo can stop and
 * resume. `node:fs/promises` is imported lazily inside these functions: importing
 * `bpds/chain` never needs it (browsers included).
 */
import { assertString } from '../internal/assert.js';
import { MemoryLedger, type MemoryLedgerOptions } from './memory-ledger.js';

/**
 * Write the ledger (pending transactions sealed first) to `path` as JSON Lines,
 * atomically (temporary file, then rename). Node only.
 *
 * @returns the head block hash, to keep elsewhere and pass as `expectedHead` when loading
 * @throws InvalidArgumentError if `path` is not a string
 * @example
 * ```ts
 * import { loadLedgerFile, saveLedgerFile } from 'bpds/node';
 * declare const ledger: import('bpds/chain').MemoryLedger;
 * const head = await saveLedgerFile(ledger, 'ledger.jsonl');
 * const again = await loadLedgerFile('ledger.jsonl', { expectedHead: head });
 * ```
 */
export async function saveLedgerFile(ledger: MemoryLedger, path: string): Promise<string> {
  assertString(path, 'path');
  const fs = await import('node:fs/promises');
  const text = ledger.toJsonLines();
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await fs.writeFile(tmp, text, 'utf8');
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true }); // leave no temporary file behind
    throw e;
  }
  return ledger.head;
}

/**
 * Read a ledger saved by {@link saveLedgerFile}, replaying and re-verifying everything
 * (see {@link MemoryLedger.fromJsonLines}). Node only.
 *
 * @throws LedgerError `TAMPERED_CHAIN` if the file was altered or is not a ledger export
 * @example
 * ```ts
 * import { loadLedgerFile } from 'bpds/node';
 * const ledger = await loadLedgerFile('ledger.jsonl');
 * ```
 */
export async function loadLedgerFile(
  path: string,
  options: MemoryLedgerOptions & { expectedHead?: string } = {},
): Promise<MemoryLedger> {
  assertString(path, 'path');
  const fs = await import('node:fs/promises');
  return MemoryLedger.fromJsonLines(await fs.readFile(path, 'utf8'), options);
}
