/**
 * Content extraction signatures suite (Steinfeld–Bull–Zheng, "Content Extraction
 * Signatures", ICISC 2001; the aggregate scheme is BGLS, EUROCRYPT 2003): sign /
 * extract / verify for commit-vector, hash-tree, aggregate and sd-jwt on a FHIR-shaped
 * record of 16/256/4096 leaf fields with a quarter disclosed, against
 * @sd-jwt/core doing the equivalent issue / present / verify on the same record.
 */

import { loadedCurve } from '../../src/pairing/index.js';
import { fhirBundle, type Json, leafPaths, type Path, quarterOf } from '../lib/fhir.js';
import { load } from '../lib/load.js';
import { installedVersion } from '../lib/machine.js';
import { type Timing, timingFields } from '../lib/measure.js';
import { disclosedLeaves, sdJwtPeer } from '../lib/sdjwt.js';
import type { Context, Suite } from '../lib/types.js';

/** The slice of bpds/ces the bench uses (structural, so a half-written module skips cleanly). */
interface Bytesable {
  toBytes(): Uint8Array;
}
interface CesApi {
  generateSigningKey(alg?: string): Bytesable & { verifyKey(): Bytesable } & Record<string, unknown>;
  sign(key: unknown, record: Json, options?: { scheme?: string }): Bytesable;
  extract(signed: unknown, record: Json, selection: readonly Path[]): Bytesable;
  verify(
    verifyKey: unknown,
    presentation: Uint8Array,
  ): { valid: boolean; claims?: readonly { path: readonly (string | number)[] }[] };
}

const SCHEMES = [
  { scheme: 'commit-vector', alg: 'ed25519' },
  { scheme: 'hash-tree', alg: 'ed25519' },
  { scheme: 'aggregate', alg: 'bls' },
  // bpds' own RFC 9901 issuer: ES256 like the peer, but every member at every level selectively
  // disclosable (recursive disclosures), decoys to a multiple of 4 per `_sd`, rules and rule tags signed.
  { scheme: 'sd-jwt', alg: 'p256' },
] as const;

const SD_JWT = '@sd-jwt/core';

function sizes(quick: boolean): number[] {
  return quick ? [16, 64] : [16, 256, 4096];
}

function row(
  ctx: Context,
  scheme: string,
  op: string,
  n: number,
  t: Timing,
  bytes: number | null,
  note: string | null,
) {
  return ctx.record({
    suite: 'ces',
    scheme,
    op,
    n,
    variant: 'quarter disclosed',
    ...timingFields(t),
    bytes,
    note,
  });
}

const sameLeaves = (a: readonly Path[], b: readonly Path[]) => {
  const key = (p: Path) => JSON.stringify(p);
  const sa = new Set(a.map(key));
  return sa.size === b.length && b.every((p) => sa.has(key(p)));
};

async function runSdJwt(ctx: Context): Promise<Map<string, number>> {
  const medians = new Map<string, number>();
  if (!ctx.wants(SD_JWT)) return medians;
  const version = installedVersion(SD_JWT);
  const peer = version === null ? `${SD_JWT} not installed` : await sdJwtPeer(version);
  if (typeof peer === 'string') {
    ctx.note(`ces: SD-JWT peer skipped: ${peer}`);
    return medians;
  }
  const name = SD_JWT;
  const v = `${peer.version}, ES256`;
  for (const n of sizes(ctx.opts.quick)) {
    const record = fhirBundle(n);
    const sel = quarterOf(leafPaths(record));
    const token = await peer.issue(record);
    const pres = await peer.present(token, sel);
    if (!sameLeaves(disclosedLeaves(await peer.verify(pres)), sel)) {
      throw new Error(`SD-JWT peer: verified payload does not disclose exactly the selection (n=${n})`);
    }
    const scale = n >= 4096 ? { budgetScale: 0.5, minSamples: 5 } : {};
    if (ctx.wants(SD_JWT, 'sign')) {
      ctx.progress.step(`ces sd-jwt issue n=${n}`);
      const t = await ctx.measure.async(() => peer.issue(record), scale);
      row(
        ctx,
        name,
        'sign',
        n,
        t,
        token.length,
        `${v}; issue: every leaf selectively disclosable; bytes: SD-JWT with all disclosures`,
      );
      medians.set(`sign/${n}`, t.median);
    }
    if (ctx.wants(SD_JWT, 'extract')) {
      ctx.progress.step(`ces sd-jwt present n=${n}`);
      const t = await ctx.measure.async(() => peer.present(token, sel), scale);
      row(ctx, name, 'extract', n, t, pres.length, `${v}; present; bytes: SD-JWT with the disclosed quarter`);
      medians.set(`extract/${n}`, t.median);
    }
    if (ctx.wants(SD_JWT, 'verify')) {
      ctx.progress.step(`ces sd-jwt verify n=${n}`);
      const t = await ctx.measure.async(() => peer.verify(pres), scale);
      row(ctx, name, 'verify', n, t, null, v);
      medians.set(`verify/${n}`, t.median);
    }
  }
  return medians;
}

export const cesSuite: Suite = {
  name: 'ces',
  title: 'Content extraction signatures vs SD-JWT',
  async run(ctx) {
    const peer = await runSdJwt(ctx);
    const c = await load<CesApi>('src/ces/index.js', ['generateSigningKey', 'sign', 'extract', 'verify']);
    if (!c.ok) return ctx.note(`ces: bpds schemes skipped: ${c.reason}`);
    const api = c.mod;
    for (const s of SCHEMES) {
      if (!ctx.wants(s.scheme)) continue;
      // `bls`: the BLS algorithm of the loaded curve (bls-bn254 or bls12-381).
      const sk = api.generateSigningKey(
        s.alg === 'bls' ? (loadedCurve().name === 'bls12-381' ? 'bls12-381' : 'bls-bn254') : s.alg,
      );
      const vk = sk.verifyKey();
      for (const n of sizes(ctx.opts.quick)) {
        const record = fhirBundle(n);
        const sel = quarterOf(leafPaths(record));
        const signed = api.sign(sk, record, { scheme: s.scheme });
        const pres = api.extract(signed, record, sel);
        // The verifier receives bytes: verify includes decoding the presentation.
        const presBytes = pres.toBytes();
        const res = api.verify(vk, presBytes);
        if (
          !res.valid ||
          !sameLeaves(
            (res.claims ?? []).map((c) => [...c.path]),
            sel,
          )
        ) {
          throw new Error(`ces ${s.scheme}: presentation does not verify to exactly the selection (n=${n})`);
        }
        const vs = (op: string, ours: number) => {
          const theirs = peer.get(`${op}/${n}`);
          return theirs === undefined ? null : `SD-JWT / bpds: ${Number((theirs / ours).toPrecision(2))}x`;
        };
        const scale = n >= 4096 ? { budgetScale: 0.5, minSamples: 5 } : {};
        if (ctx.wants(s.scheme, 'sign')) {
          ctx.progress.step(`ces ${s.scheme} sign n=${n}`);
          const t = ctx.measure.sync(() => api.sign(sk, record, { scheme: s.scheme }), scale);
          row(ctx, s.scheme, 'sign', n, t, signed.toBytes().length, vs('sign', t.median));
        }
        if (ctx.wants(s.scheme, 'extract')) {
          ctx.progress.step(`ces ${s.scheme} extract n=${n}`);
          const t = ctx.measure.sync(() => api.extract(signed, record, sel), scale);
          row(ctx, s.scheme, 'extract', n, t, presBytes.length, vs('extract', t.median));
        }
        if (ctx.wants(s.scheme, 'verify')) {
          ctx.progress.step(`ces ${s.scheme} verify n=${n}`);
          const t = ctx.measure.sync(() => api.verify(vk, presBytes), scale);
          row(ctx, s.scheme, 'verify', n, t, null, vs('verify', t.median));
        }
      }
    }
  },
};
