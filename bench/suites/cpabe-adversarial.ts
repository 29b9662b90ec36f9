/**
 * CP-ABE under attacker-chosen policies (issue 12, finding 2): what a ciphertext made by
 * an attacker costs a victim's key before decryption succeeds or fails. Two policies with
 * the same number of rows, decrypted (CCA) by a key holding only `victim`:
 *
 * - sparse: `victim or (x_1 and ... and x_n)`, AND/OR rows (entries 0, ±1);
 * - dense:  `victim or (n-1) of (x_1, ..., x_n)`, Vandermonde rows (n-1 columns filled).
 *
 * The victim's process has never seen the policy: every sample starts with the policy
 * memo and the hash-to-curve cache emptied, so parsing, the LSSS and every hash are paid
 * as an attacker using fresh attribute names makes the victim pay them. A third row times
 * the failing path (the CCA check refuses a ciphertext with C_sigma flipped). The note of
 * each dense row prints dense / sparse: docs/cpabe.md bounds it by 4.
 */
import { load } from '../lib/load.js';
import { type Timing, timingFields } from '../lib/measure.js';
import type { Suite } from '../lib/types.js';

interface Bytesable {
  toBytes(): Uint8Array;
}
interface CpabeApi {
  setup(o: { scheme: string }): { publicKey: Bytesable; masterKey: Bytesable };
  keygen(masterKey: Bytesable, attributes: string[]): Bytesable;
  encrypt(publicKey: Bytesable, policy: string, plaintext: Uint8Array): Promise<Uint8Array>;
  decrypt(secretKey: Bytesable, ciphertext: Uint8Array): Promise<Uint8Array>;
}

const SCHEMES = ['fame', 'waters11', 'bsw07'] as const;
const PLAINTEXT = new Uint8Array(64).fill(7);

/** The two policy shapes with n leaves besides `victim` (n + 1 rows each). */
export function adversarialPolicies(n: number, prefix: string): { sparse: string; dense: string } {
  const xs = Array.from({ length: n }, (_, i) => `${prefix}x${i}`);
  return { sparse: `victim or (${xs.join(' and ')})`, dense: `victim or ${n - 1} of (${xs.join(', ')})` };
}

export const cpabeAdversarialSuite: Suite = {
  name: 'cpabe-adversarial',
  title: 'CP-ABE decryption under attacker-chosen policies (dense threshold vs sparse, same rows)',
  async run(ctx) {
    const cp = await load<CpabeApi>('src/cpabe/index.js', ['setup', 'keygen', 'encrypt', 'decrypt']);
    if (!cp.ok) return ctx.note(`cpabe-adversarial suite skipped: ${cp.reason}`);
    const memo = await load<{ clearPolicyMemo(): void }>('src/cpabe/internal/policy-bridge.js', ['clearPolicyMemo']);
    const hashes = await load<{ clearHashCache(): void }>('src/cpabe/internal/hash-cache.js', ['clearHashCache']);
    if (!memo.ok || !hashes.ok) {
      return ctx.note('cpabe-adversarial suite skipped: cannot empty the policy memo or the hash cache');
    }
    const forget = (): void => {
      memo.mod.clearPolicyMemo();
      hashes.mod.clearHashCache();
    };
    const api = cp.mod;
    const sizes = ctx.opts.quick ? [8] : [32, 128, 255];
    for (const scheme of SCHEMES) {
      if (!ctx.wants(scheme, 'decrypt (CCA)')) continue;
      const { publicKey, masterKey } = api.setup({ scheme });
      const sk = api.keygen(masterKey, ['victim']);
      for (const n of sizes) {
        const pols = adversarialPolicies(n, `${scheme}-`);
        const measured: Record<string, Timing> = {};
        for (const shape of ['sparse', 'dense'] as const) {
          ctx.progress.step(`cpabe-adversarial ${scheme} ${shape} n=${n} encrypt`);
          const ct = await api.encrypt(publicKey, pols[shape], PLAINTEXT);
          const bad = ct.slice();
          const at = bad.length - PLAINTEXT.length - 16 - 32; // C_sigma, before payload and tag
          bad[at] = (bad[at] as number) ^ 1;
          forget();
          const back = await api.decrypt(sk, ct);
          if (back.length !== PLAINTEXT.length || back.some((b, i) => b !== PLAINTEXT[i])) {
            throw new Error(`${scheme}: ${shape} ciphertext decrypted to something else`);
          }
          for (const [op, input] of [
            ['decrypt (CCA)', ct],
            ['decrypt failing (CCA)', bad],
          ] as const) {
            ctx.progress.step(`cpabe-adversarial ${scheme} ${shape} n=${n} ${op}`);
            const t = await ctx.measure.async(
              async () => {
                forget();
                try {
                  await api.decrypt(sk, input);
                } catch (e) {
                  if (input === ct || (e as { code?: string }).code !== 'ERR_DECRYPTION_FAILED') throw e;
                }
              },
              { minSamples: 3 },
            );
            measured[`${shape} ${op}`] = t;
            const sparse = measured[`sparse ${op}`];
            const ratio = shape === 'dense' && sparse !== undefined ? t.median / sparse.median : null;
            const row = ctx.record({
              suite: 'cpabe-adversarial',
              scheme,
              op,
              n: n + 1,
              variant: shape === 'dense' ? `dense: victim or ${n - 1} of ${n}` : `sparse: victim or AND of ${n}`,
              ...timingFields(t),
              bytes: ct.length,
              note:
                ratio === null
                  ? `${n + 1} rows, key holds only victim; policy memo and hash cache emptied per call`
                  : `dense / sparse = ${ratio.toFixed(2)}x (bound 4x); ${n + 1} rows`,
            });
            if (ratio !== null) {
              ctx.note(`cpabe-adversarial ${scheme} ${op} n=${row.n}: dense / sparse = ${ratio.toFixed(2)}x`);
            }
          }
        }
      }
    }
  },
};
