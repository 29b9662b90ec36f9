/**
 * MemoryLedger throughput: signed transactions per second with signature
 * verification on (bpds/chain).
 */
import { load } from '../lib/load.js';
import type { Context } from '../lib/types.js';

export async function runLedger(ctx: Context): Promise<void> {
  const ch = await load<Record<string, unknown>>('src/chain/index.js', ['MemoryLedger']);
  if (!ch.ok) return ctx.note(`records: ledger skipped: ${ch.reason}`);
  ctx.note('records: ledger API found but not wired yet');
}
