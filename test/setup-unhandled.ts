// Vitest setup file (vitest.config.ts `setupFiles`): any unhandled promise rejection or uncaught
// exception while a test runs fails that test (issue 12, finding 3), instead of only being
// reported after the run or, outside Vitest, killing the process.
import { afterAll, afterEach } from 'vitest';

const KEY = Symbol.for('bpds.test.unhandled');
type Holder = { seen: unknown[] };
const g = globalThis as unknown as Record<symbol, Holder | undefined>;
let holder = g[KEY];
if (holder === undefined) {
  const h: Holder = { seen: [] };
  holder = h;
  g[KEY] = h;
  process.on('unhandledRejection', (reason) => h.seen.push(reason));
  process.on('uncaughtException', (error) => h.seen.push(error));
}
const seen = holder.seen;

async function check(when: string): Promise<void> {
  // Node reports an unhandled rejection once the microtask queue drains: give it a turn.
  await new Promise((r) => setImmediate(r));
  if (seen.length === 0) return;
  const errors = seen.splice(0);
  const first = errors[0];
  const what = first instanceof Error ? `${first.name}: ${first.message}` : String(first);
  throw new AggregateError(errors, `${errors.length} unhandled rejection(s)/exception(s) ${when}; first: ${what}`);
}

afterEach(() => check('during this test'));
afterAll(() => check('after the last test of this file'));
