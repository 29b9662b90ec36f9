/**
 * CP-ABE suite: FAME (Agrawal–Chase, CCS 2017), Waters11 (PKC 2011) and BSW07
 * (S&P 2007) through the public API of src/cpabe, for AND policies of N
 * attributes plus an OR-heavy and a threshold shape. Each timing gets the
 * scheme's limit: its counted group operations (`SchemeCore.counts`) priced
 * with this run's primitive costs.
 */

import type { OpCount } from '../../src/cpabe/scheme.js';
import { groupOrder } from '../../src/pairing/index.js';
import { countDecodes, describeDecodes } from '../lib/instrument.js';
import { addCounts } from '../lib/limit.js';
import { load } from '../lib/load.js';
import { type Timing, timingFields } from '../lib/measure.js';
import type { Suite } from '../lib/types.js';

/** The slice of bpds/cpabe the bench uses (structural, so a half-written module skips cleanly). */
interface Bytesable {
  toBytes(): Uint8Array;
}
interface CpabeApi {
  setup(o: { scheme: string }): { publicKey: Bytesable; masterKey: Bytesable };
  keygen(masterKey: Bytesable, attributes: string[]): Bytesable;
  encrypt(publicKey: Bytesable, policy: string, plaintext: Uint8Array): Promise<Uint8Array>;
  decrypt(secretKey: Bytesable, ciphertext: Uint8Array): Promise<Uint8Array>;
  encapsulate(publicKey: Bytesable, policy: string): { key: Uint8Array; encapsulation: Uint8Array };
  decapsulate(secretKey: Bytesable, encapsulation: Uint8Array): Uint8Array;
  Ciphertext: { fromBytes(bytes: Uint8Array): unknown };
}
interface PolicyApi {
  parsePolicy(text: string): unknown;
  toLsss(policy: unknown, modulus: bigint): { matrix: readonly (readonly bigint[])[]; rowLabels: readonly string[] };
  minimalSatisfyingSet(policy: unknown, attributes: Iterable<string>): number[] | null;
}
interface Counts {
  keygen(n: number): OpCount;
  encapsulate(nRows: number, nCols: number): OpCount;
  decapsulate(nRowsUsed: number): OpCount;
  /** Optional extension a scheme core may add: the counted cost of its CCA re-encryption check. */
  checkEncapsulation?(nRows: number, nCols: number): OpCount;
}

const SCHEMES = [
  { name: 'fame', file: 'src/cpabe/schemes/fame.js', core: 'fameCore' },
  { name: 'waters11', file: 'src/cpabe/schemes/waters11.js', core: 'waters11Core' },
  { name: 'bsw07', file: 'src/cpabe/schemes/bsw07.js', core: 'bsw07Core' },
] as const;

/** A policy of a given shape and size, and the key attributes that satisfy it. */
export interface PolicyCase {
  shape: 'and' | 'or-heavy' | 'threshold';
  n: number;
  text: string;
  keyAttributes: string[];
}

const att = (p: string, i: number) => `${p}${String(i).padStart(3, '0')}`;

/** AND of N: the key holds all N attributes. */
export function andCase(n: number): PolicyCase {
  const leaves = Array.from({ length: n }, (_, i) => att('dept:a', i + 1));
  return { shape: 'and', n, text: leaves.join(' and '), keyAttributes: leaves };
}

/** OR-heavy: an OR of N/2 two-attribute ANDs; the key holds the last clause. */
export function orHeavyCase(n: number): PolicyCase {
  const k = Math.max(1, Math.floor(n / 2));
  const clauses = Array.from({ length: k }, (_, i) => `(${att('role:r', 2 * i + 1)} and ${att('ward:w', 2 * i + 2)})`);
  return {
    shape: 'or-heavy',
    n: 2 * k,
    text: clauses.join(' or '),
    keyAttributes: [att('role:r', 2 * k - 1), att('ward:w', 2 * k)],
  };
}

/** Threshold: ceil(N/2) of N; the key holds the last ceil(N/2) attributes. */
export function thresholdCase(n: number): PolicyCase {
  const leaves = Array.from({ length: n }, (_, i) => att('cred:t', i + 1));
  const k = Math.ceil(n / 2);
  return { shape: 'threshold', n, text: `${k} of (${leaves.join(', ')})`, keyAttributes: leaves.slice(n - k) };
}

const PLAINTEXT_BYTES = 1024;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export const cpabeSuite: Suite = {
  name: 'cpabe',
  title: 'CP-ABE (FAME, Waters11, BSW07)',
  async run(ctx) {
    const cp = await load<CpabeApi>('src/cpabe/index.js', [
      'setup',
      'keygen',
      'encrypt',
      'decrypt',
      'encapsulate',
      'decapsulate',
      'Ciphertext',
    ]);
    if (!cp.ok) return ctx.note(`cpabe suite skipped: ${cp.reason}`);
    const pol = await load<PolicyApi>('src/policy/index.js', ['parsePolicy', 'toLsss', 'minimalSatisfyingSet']);
    if (!pol.ok) return ctx.note(`cpabe suite skipped: ${pol.reason}`);
    const api = cp.mod;
    const quick = ctx.opts.quick;
    const andNs = quick ? [1, 5] : [1, 5, 10, 20, 50, 100];
    const shapeNs = quick ? [4] : [10, 50];
    const cases: PolicyCase[] = [...andNs.map(andCase), ...shapeNs.flatMap((n) => [orHeavyCase(n), thresholdCase(n)])];
    const plaintext = new Uint8Array(PLAINTEXT_BYTES).map((_, i) => i & 0xff);

    for (const s of SCHEMES) {
      if (!ctx.wants(s.name)) continue;
      const coreMod = await load<Record<string, { counts?: Counts }>>(s.file, [s.core]);
      if (!coreMod.ok) {
        ctx.note(`cpabe ${s.name} skipped: ${coreMod.reason}`);
        continue;
      }
      const counts = coreMod.mod[s.core]?.counts;
      const limit = (c: OpCount | null): OpCount | null => c;
      const emit = (
        op: string,
        pc: PolicyCase | null,
        t: Timing,
        extra: { bytes?: number; limit?: OpCount | null; note?: string } = {},
      ) =>
        ctx.record({
          suite: 'cpabe',
          scheme: s.name,
          op,
          n: pc?.n ?? null,
          variant: pc?.shape ?? null,
          ...timingFields(t),
          bytes: extra.bytes ?? null,
          count: extra.limit ?? null,
          note: extra.note ?? null,
        });

      let keys: ReturnType<CpabeApi['setup']>;
      try {
        keys = api.setup({ scheme: s.name });
      } catch (e) {
        ctx.note(`cpabe ${s.name} skipped: setup failed (${(e as Error).message})`);
        continue;
      }
      if (ctx.wants(s.name, 'setup')) {
        ctx.progress.step(`cpabe ${s.name} setup`);
        const t = ctx.measure.sync(() => api.setup({ scheme: s.name }));
        emit('setup', null, t, {
          bytes: keys.publicKey.toBytes().length,
          note: `bytes: public key; master key ${keys.masterKey.toBytes().length} bytes`,
        });
      }
      const { publicKey, masterKey } = keys;

      for (const pc of cases) {
        const label = `cpabe ${s.name} ${pc.shape} n=${pc.n}`;
        const policy = pol.mod.parsePolicy(pc.text);
        const lsss = pol.mod.toLsss(policy, groupOrder());
        const nRows = lsss.matrix.length;
        const nCols = lsss.matrix[0]?.length ?? 0;
        const used = pol.mod.minimalSatisfyingSet(policy, pc.keyAttributes);
        if (used === null) throw new Error(`bench bug: key does not satisfy ${pc.text}`);
        const cEnc = counts?.encapsulate(nRows, nCols) ?? null;
        const cDec = counts?.decapsulate(used.length) ?? null;
        const cCheck = counts?.checkEncapsulation?.(nRows, nCols) ?? cEnc;

        ctx.progress.step(`${label} keygen`);
        const sk = api.keygen(masterKey, pc.keyAttributes);
        if (ctx.wants(s.name, 'keygen')) {
          const t = ctx.measure.sync(() => api.keygen(masterKey, pc.keyAttributes));
          emit('keygen', pc, t, {
            bytes: sk.toBytes().length,
            limit: limit(counts?.keygen(pc.keyAttributes.length) ?? null),
            note: `${pc.keyAttributes.length} key attributes; bytes: secret key`,
          });
        }

        // CPA key encapsulation (research API). Decapsulation parses the encapsulation, so its
        // limit includes the point decodes it performs (counted on one untimed call).
        const kem = api.encapsulate(publicKey, pc.text);
        const kemDec = await countDecodes(() => api.decapsulate(sk, kem.encapsulation));
        if (!sameBytes(kemDec.result, kem.key)) {
          throw new Error(`${s.name}: decapsulate returned a different key for ${pc.shape} n=${pc.n}`);
        }
        if (ctx.wants(s.name, 'encapsulate (CPA)')) {
          ctx.progress.step(`${label} encapsulate`);
          const t = ctx.measure.sync(() => api.encapsulate(publicKey, pc.text));
          emit('encapsulate (CPA)', pc, t, { bytes: kem.encapsulation.length, limit: limit(cEnc) });
        }
        if (ctx.wants(s.name, 'decapsulate (CPA)')) {
          ctx.progress.step(`${label} decapsulate`);
          const t = ctx.measure.sync(() => api.decapsulate(sk, kem.encapsulation));
          emit('decapsulate (CPA)', pc, t, {
            limit: cDec === null ? null : limit(addCounts(cDec, kemDec.count)),
            note: `${used.length} rows used; limit includes ${describeDecodes(kemDec.count)}`,
          });
        }

        // CCA hybrid encryption (FO transform + AES-256-GCM).
        const ct = await api.encrypt(publicKey, pc.text, plaintext);
        const ccaDec = await countDecodes(() => api.decrypt(sk, ct));
        if (!sameBytes(ccaDec.result, plaintext)) {
          throw new Error(`${s.name}: decrypt returned a different plaintext for ${pc.shape} n=${pc.n}`);
        }
        if (ctx.wants(s.name, 'encrypt (CCA)')) {
          ctx.progress.step(`${label} encrypt`);
          const t = await ctx.measure.async(() => api.encrypt(publicKey, pc.text, plaintext));
          emit('encrypt (CCA)', pc, t, {
            bytes: ct.length,
            limit: limit(cEnc),
            note: `${PLAINTEXT_BYTES}-byte plaintext; bytes: ciphertext`,
          });
        }
        if (ctx.wants(s.name, 'decrypt (CCA)')) {
          ctx.progress.step(`${label} decrypt`);
          const t = await ctx.measure.async(() => api.decrypt(sk, ct));
          const check = counts?.checkEncapsulation ? 'counted CCA check' : 'full re-encapsulation (FO)';
          emit('decrypt (CCA)', pc, t, {
            limit: cDec === null || cCheck === null ? null : limit(addCounts(cDec, cCheck, ccaDec.count)),
            note: `${used.length} rows used; limit: decapsulation + ${check} + ${describeDecodes(ccaDec.count)}`,
          });
        }
        if (ctx.wants(s.name, 'decode ciphertext')) {
          ctx.progress.step(`${label} decode`);
          const parsed = await countDecodes(() => api.Ciphertext.fromBytes(ct));
          const t = ctx.measure.sync(() => api.Ciphertext.fromBytes(ct));
          emit('decode ciphertext', pc, t, {
            bytes: ct.length,
            limit: limit(parsed.count),
            note: `untrusted bytes: parse + ${describeDecodes(parsed.count)}`,
          });
        }
      }
    }
  },
};
