/**
 * Native peer run: OpenABE (C++, RELIC) beside bpds in one run, `npm run bench -- --peer openabe
 * --openabe DIR`. Compiles our harness against the OpenABE build in DIR, then, case by case,
 * lets OpenABE Waters11, bpds FAME and bpds Waters11 take turns sample by sample (alternate.ts)
 * and prints the scheme and primitives tables (table.ts); writes them to
 * bench/results/peer-openabe.md unless --no-write.
 *
 * Exit codes: 0 done, 1 a contender failed (wrong result, harness crash), 2 bad arguments,
 * 3 the peer is not built (PeerNotBuiltError: the bench without the peer is unaffected).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import * as cpabe from '../../../src/cpabe/index.js';
import * as P from '../../../src/pairing/index.js';
import { machine } from '../../lib/machine.js';
import { FULL, type MeasureConfig, QUICK } from '../../lib/measure.js';
import { andCase } from '../../suites/cpabe.js';
import { alternate, type Contender, local } from './alternate.js';
import { PEER_USAGE, type PeerOptions, parsePeerArgs } from './args.js';
import { HarnessClient } from './client.js';
import { compileHarness, locateOpenabe, PeerNotBuiltError } from './locate.js';
import {
  loadNote,
  type PeerReport,
  type PrimitiveResult,
  peerMarkdown,
  primitivesTable,
  type SchemeResult,
  schemeTable,
} from './table.js';

const PLAINTEXT = new Uint8Array(1024).map((_, i) => i & 0xff);
const PAIRS = 20;

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/** An OpenABE contender: the prepared harness case, timed in the harness process. */
function peer(h: HarnessClient, c: string, n: number): Contender {
  return {
    name: `openabe ${c}`,
    async sample(calls) {
      const r = await h.run(c, n, calls);
      return { cpu: r.cpu_ms, wall: r.wall_ms };
    },
  };
}

/** bpds fixtures of one scheme and N: keys and a ciphertext, checked to decrypt. */
async function bpdsCase(scheme: 'fame' | 'waters11', n: number) {
  const pc = andCase(n);
  const { publicKey, masterKey } = cpabe.setup({ scheme });
  const sk = cpabe.keygen(masterKey, pc.keyAttributes);
  const ct = await cpabe.encrypt(publicKey, pc.text, PLAINTEXT);
  if (!same(await cpabe.decrypt(sk, ct), PLAINTEXT)) throw new Error(`bpds ${scheme}: decrypt mismatch at N=${n}`);
  return {
    keygen: () => cpabe.keygen(masterKey, pc.keyAttributes),
    encrypt: () => cpabe.encrypt(publicKey, pc.text, PLAINTEXT),
    decrypt: () => cpabe.decrypt(sk, ct),
  };
}

const OPS = [
  { op: 'keygen', peerCase: 'keygen' },
  { op: 'encrypt (CCA, 1 KiB)', peerCase: 'encrypt' },
  { op: 'decrypt (CCA, 1 KiB)', peerCase: 'decrypt' },
] as const;

async function measureSchemes(h: HarnessClient, ns: readonly number[], cfg: MeasureConfig, step: (s: string) => void) {
  const out: SchemeResult[] = [];
  for (const { op, peerCase } of OPS) {
    for (const n of ns) {
      step(`${op} N=${n}`);
      await h.prep(peerCase, n);
      const fame = await bpdsCase('fame', n);
      const waters = await bpdsCase('waters11', n);
      const key = peerCase;
      const [o, f, w] = await alternate(
        [peer(h, peerCase, n), local(`fame ${op}`, fame[key]), local(`waters11 ${op}`, waters[key])],
        cfg,
        2,
      );
      out.push({ op, n, openabe: o!, fame: f!, waters11: w! });
    }
  }
  return out;
}

async function measurePrimitives(h: HarnessClient, cfg: MeasureConfig, step: (s: string) => void) {
  const g1 = P.g1Generator();
  const g2 = P.g2Generator();
  const s = P.frRandomNonZero();
  const Ps = Array.from({ length: PAIRS }, () => P.g1Mul(g1, P.frRandomNonZero()));
  const Qs = Array.from({ length: PAIRS }, () => P.g2Mul(g2, P.frRandomNonZero()));
  const ml = P.millerLoop(g1, g2);
  const q = P.g2Mul(g2, s) as unknown as { isValidOrder(): boolean };
  if (!q.isValidOrder()) throw new Error('bench bug: a G2 multiple failed mcl-wasm isValidOrder');
  const cases: { label: string; c: string; n: number; fn: () => unknown }[] = [
    { label: 'pairing', c: 'pairing', n: 1, fn: () => P.pair(g1, g2) },
    { label: `${PAIRS}-pair product`, c: 'miller', n: PAIRS, fn: () => P.multiPairing(Ps, Qs) },
    { label: 'final exponentiation', c: 'finalexp', n: 1, fn: () => P.finalExp(ml) },
    { label: 'G1 mul', c: 'g1mul', n: 1, fn: () => P.g1Mul(g1, s) },
    { label: 'G2 mul', c: 'g2mul', n: 1, fn: () => P.g2Mul(g2, s) },
    { label: 'G2 subgroup check', c: 'g2check', n: 1, fn: () => q.isValidOrder() },
  ];
  const got = new Map<string, PrimitiveResult>();
  for (const k of cases) {
    step(`primitive ${k.label}`);
    await h.prep(k.c, k.n);
    const [r, m] = await alternate([peer(h, k.c, k.n), local(`mcl ${k.label}`, k.fn)], cfg);
    got.set(k.label, { op: k.label, relic: r!.median, mcl: m!.median });
  }
  const product = got.get(`${PAIRS}-pair product`)!;
  const fe = got.get('final exponentiation')!;
  const perPair: PrimitiveResult = {
    op: `Miller loop per pair (${PAIRS}-pair product)`,
    relic: (product.relic - fe.relic) / PAIRS,
    mcl: (product.mcl - fe.mcl) / PAIRS,
  };
  const order = ['pairing', perPair.op, 'final exponentiation', 'G1 mul', 'G2 mul', 'G2 subgroup check'];
  got.set(perPair.op, perPair);
  return order.map((o) => got.get(o)!);
}

async function measure(o: PeerOptions): Promise<number> {
  const build = locateOpenabe(o.openabe);
  console.error(`peer openabe: compiling the harness against ${build.root}`);
  const exe = compileHarness(build);
  const t0 = performance.now();
  const mach = machine();
  await P.init();
  const h = new HarnessClient(exe);
  try {
    const relic = await h.info();
    const notes: string[] = [];
    if (!relic.arith.toLowerCase().startsWith('x64-asm') || relic.wsize !== 64) {
      notes.push(
        `RELIC is built with ARITH=${relic.arith}, WSIZE=${relic.wsize}: not its x86-64 assembly backend, ` +
          'which is several times slower; these figures understate OpenABE (see README.md)',
      );
    }
    const cfg = o.quick ? QUICK : FULL;
    const ns = o.quick ? [2, 10] : [10, 100];
    const step = (s: string) => console.error(`peer openabe: ${s}`);
    const schemes = await measureSchemes(h, ns, cfg, step);
    const primitives = await measurePrimitives(h, cfg, step);
    const loadEnd = Math.round(loadavg()[0]! * 100) / 100;
    const busy = loadNote(mach.loadAverage, loadEnd, mach.cores);
    if (busy !== null) notes.push(busy);
    const report: PeerReport = {
      machine: mach,
      loadAverageEnd: loadEnd,
      durationS: (performance.now() - t0) / 1000,
      quick: o.quick,
      openabe: { version: build.version, commit: build.commit },
      relic,
      schemes,
      primitives,
      notes,
    };
    console.log(`${schemeTable(schemes)}\n\n${primitivesTable(primitives)}`);
    for (const n of notes) console.error(`note: ${n}`);
    if (o.out !== null) {
      mkdirSync(dirname(o.out), { recursive: true });
      writeFileSync(o.out, peerMarkdown(report));
      console.error(`wrote ${o.out}`);
    }
    return 0;
  } finally {
    await h.close();
  }
}

/** The `--peer` mode of bench/run.ts; resolves to the process exit code. */
export async function runPeer(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let o: PeerOptions | 'help';
  try {
    o = parsePeerArgs(argv, env);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (o === 'help') {
    console.log(PEER_USAGE);
    return 0;
  }
  try {
    return await measure(o);
  } catch (e) {
    if (e instanceof PeerNotBuiltError) {
      console.error(e.message);
      return 3;
    }
    console.error(e);
    return 1;
  }
}
