/**
 * Node's built-in `node:crypto`, reached synchronously through `process.getBuiltinModule`
 * (Node >= 20.16) so that nothing is imported at module load and browsers simply get
 * `null`. Internal.
 */
import type * as NodeCrypto from 'node:crypto';

/** The `node:crypto` module type. */
export type NC = typeof NodeCrypto;
let nc: NC | null | undefined;

/** `node:crypto`, or null outside Node. */
export function nodeCrypto(): NC | null {
  if (nc === undefined) {
    nc = null;
    try {
      const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
      if (typeof p?.getBuiltinModule === 'function') {
        const m = p.getBuiltinModule('node:crypto') as NC | undefined;
        if (m !== undefined && typeof m.createHash === 'function') nc = m;
      }
    } catch {
      nc = null;
    }
  }
  return nc;
}
