/**
 * What a worker does with each task: the synchronous API on decoded keys (cached per
 * worker, so a key is decoded and validated once, not per task), with decryption and
 * decapsulation split across the pool (split.ts). Internal.
 */
import { decryptPlan, encrypt } from '../cpabe/hybrid.js';
import { decapsulatePlan, encapsulate } from '../cpabe/kem.js';
import { MasterKey, PublicKey, SecretKey } from '../cpabe/keys.js';
import { keygen } from '../cpabe/setup.js';
import type { KeyRef, TaskArgs, TaskOp } from './messages.js';
import { type SplitContext, splitPlan } from './split.js';

/** Decoded keys by pool-wide id, least recently used first. */
const CACHE_MAX = 32;
const cache = new Map<number, unknown>();

function cached<K>(ref: KeyRef, decode: (b: Uint8Array) => K): K {
  const hit = cache.get(ref.id);
  if (hit !== undefined) {
    cache.delete(ref.id);
    cache.set(ref.id, hit);
    return hit as K;
  }
  const key = decode(ref.bytes);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as number);
  cache.set(ref.id, key);
  return key;
}

const pk = (r: KeyRef) => cached(r, PublicKey.fromBytes);
const sk = (r: KeyRef) => cached(r, SecretKey.fromBytes);
const mk = (r: KeyRef) => cached(r, MasterKey.fromBytes);
const adOpts = (ad: Uint8Array | undefined) => (ad === undefined ? undefined : { associatedData: ad });

/** Run one task. */
export async function runTask(op: TaskOp, args: unknown, ctx: SplitContext): Promise<unknown> {
  switch (op) {
    case 'encrypt': {
      const a = args as TaskArgs['encrypt'];
      return encrypt(pk(a.pk), a.policy, a.plaintext, adOpts(a.ad));
    }
    case 'decrypt': {
      const a = args as TaskArgs['decrypt'];
      const key = sk(a.sk);
      return splitPlan(() => decryptPlan(key, a.ct, adOpts(a.ad)), ctx);
    }
    case 'keygen': {
      const a = args as TaskArgs['keygen'];
      return keygen(mk(a.mk), a.attributes).toBytes();
    }
    case 'encapsulate': {
      const a = args as TaskArgs['encapsulate'];
      return encapsulate(pk(a.pk), a.policy);
    }
    case 'decapsulate': {
      const a = args as TaskArgs['decapsulate'];
      const key = sk(a.sk);
      return splitPlan(() => decapsulatePlan(key, a.enc), ctx);
    }
    case 'exit':
      return exitThread();
  }
}

/** The `exit` test hook: end this worker's thread as a crash would. */
function exitThread(): never {
  const p = (globalThis as { process?: { exit(code: number): never } }).process;
  if (p !== undefined && typeof p.exit === 'function') p.exit(70);
  (globalThis as unknown as { close(): void }).close();
  throw new Error('worker exit');
}
