// Placeholder until the benchmark issue (8): prints pairing-layer primitive timings.
import * as P from '../src/pairing/index.js';

const quick = process.argv.includes('--quick');
await P.init();
const g1 = P.g1Generator();
const g2 = P.g2Generator();
const reps = quick ? 20 : 200;
function time(name: string, f: () => unknown): void {
  for (let i = 0; i < 3; i++) f();
  const t = performance.now();
  for (let i = 0; i < reps; i++) f();
  console.log(`${name.padEnd(24)} ${((performance.now() - t) / reps).toFixed(3)} ms`);
}
const s = P.frRandom();
const gt = P.pair(g1, g2);
const ml = P.millerLoop(g1, g2);
const ps = Array.from({ length: 6 }, () => P.g1Mul(g1, P.frRandom()));
const qs = Array.from({ length: 6 }, () => P.g2Mul(g2, P.frRandom()));
time('pairing', () => P.pair(g1, g2));
time('miller loop', () => P.millerLoop(g1, g2));
time('final exponentiation', () => P.finalExp(ml));
time('multi-pairing(6)', () => P.multiPairing(ps, qs));
time('G1 mul', () => P.g1Mul(g1, s));
time('G2 mul', () => P.g2Mul(g2, s));
time('GT pow', () => P.gtPow(gt, s));
