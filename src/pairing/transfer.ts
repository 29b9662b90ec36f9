/**
 * Moving pairing values between bpds's OWN workers (bpds/workers), and deferring the
 * G2 subgroup checks of a decode so that several workers can share them. Internal:
 * never exported from the package.
 *
 * Trust boundary: the raw codec below copies mcl's internal words with no check at
 * all (no curve equation, no subgroup, no canonical form). It exists for Miller-loop
 * values (elements of Fp12 that are NOT in GT before the final exponentiation) and
 * for points one worker already holds, sent to another worker of the same pool
 * running the same WebAssembly build. It must never decode bytes that came from
 * outside the pool: untrusted points go through `g1FromBytes`/`g2FromBytes`, and GT
 * is never decoded from untrusted input (`gtFromBytes` checks the subgroup).
 */
import type * as Mcl from 'mcl-wasm';
import { be } from './backend.js';
import type { G1, G2, GT } from './types.js';

/** The internal word buffer of an mcl value (not in mcl-wasm's typings). */
const words = (x: unknown): Uint32Array => (x as { a_: Uint32Array }).a_;

function fromWords<T>(C: new () => Mcl.G1 | Mcl.G2 | Mcl.GT, w: Uint32Array): T {
  const x = new C();
  const a = words(x);
  if (!(w instanceof Uint32Array) || w.length !== a.length) throw new RangeError('raw pairing value: wrong size');
  a.set(w);
  return x as unknown as T;
}

/** A copy of the internal representation of a G1, G2 or Fp12 value (trusted transfer only). */
export const rawWords = (x: G1 | G2 | GT): Uint32Array => words(x).slice();
/** Rebuild a G1 point from {@link rawWords} of the same build. No check: trusted input only. */
export const g1FromRawWords = (w: Uint32Array): G1 => fromWords(be().mcl.G1, w);
/** Rebuild a G2 point from {@link rawWords} of the same build. No check: trusted input only. */
export const g2FromRawWords = (w: Uint32Array): G2 => fromWords(be().mcl.G2, w);
/** Rebuild an Fp12 value (e.g. a Miller-loop product) from {@link rawWords}. No check: trusted input only. */
export const fp12FromRawWords = (w: Uint32Array): GT => fromWords(be().mcl.GT, w);

/** A G2 decode whose subgroup check was deferred: everything needed to redo it with the checked decoder. */
export interface DeferredG2 {
  readonly bytes: Uint8Array;
  readonly what: string;
  readonly allowIdentity: boolean;
}

/** The active deferral list (read by `g2FromBytes`); null when decodes check at once. @internal */
export const g2Deferral: { list: DeferredG2[] | null } = { list: null };

/**
 * Run `fn` with the G2 subgroup checks of every `g2FromBytes` call deferred: each
 * decode still checks length, the twist equation, canonical form and identity, and
 * records its bytes in `deferred`. The caller MUST then check every deferred point
 * (by decoding its bytes again with `g2FromBytes`, outside any deferral) before
 * anything computed from `fn`'s result reaches anyone: until then the points may lie
 * outside G2. Returns what `fn` threw, if it threw, with the points deferred so far
 * (they precede the failure in decode order).
 */
export function withDeferredG2Checks<T>(
  fn: () => T,
): { ok: true; value: T; deferred: DeferredG2[] } | { ok: false; error: unknown; deferred: DeferredG2[] } {
  if (g2Deferral.list !== null) throw new Error('withDeferredG2Checks: already deferring');
  const deferred: DeferredG2[] = [];
  g2Deferral.list = deferred;
  try {
    return { ok: true, value: fn(), deferred };
  } catch (error) {
    return { ok: false, error, deferred };
  } finally {
    g2Deferral.list = null;
  }
}
