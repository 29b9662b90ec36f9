/**
 * Browser page: loads mcl-wasm through bpds's `init()`, then (provisional) checks
 * pairing bilinearity. Replaced by the requester flow once the protocol exists.
 */
import { init } from '../src/index.js';
import { frRandom, g1Generator, g1Mul, g2Generator, g2Mul, gtEq, pair } from '../src/pairing/index.js';

const status = document.getElementById('status') as HTMLElement;
const steps = document.getElementById('steps') as HTMLElement;

function step(text: string, cls: 'pass' | 'refused'): void {
  const li = document.createElement('li');
  li.className = cls;
  li.textContent = text;
  steps.append(li);
}

async function main(): Promise<void> {
  await init();
  step('mcl-wasm (BN254) initialised', 'pass');
  const a = frRandom();
  const ok = gtEq(pair(g1Mul(g1Generator(), a), g2Generator()), pair(g1Generator(), g2Mul(g2Generator(), a)));
  step(`pairing bilinear: ${ok}`, ok ? 'pass' : 'refused');
  status.textContent = ok ? 'OK' : 'FAILED';
  status.className = ok ? 'ok' : 'fail';
}

main().catch((e: unknown) => {
  status.textContent = `FAILED: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  status.className = 'fail';
});
