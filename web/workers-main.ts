/**
 * bpds/workers in a browser: a pool of two module Web Workers (each loads mcl-wasm
 * once) runs Waters11 CP-ABE next to the synchronous API on the page's own thread,
 * and every result and error is compared with it. test/browser-workers.test.ts
 * builds this page with Vite, serves it from 127.0.0.1 and reads #status / #steps.
 */
import { Ciphertext, decapsulate, decrypt, encapsulate, encrypt, keygen, setup } from '../src/cpabe/index.js';
import { init } from '../src/index.js';
import { createWorkerPool } from '../src/workers/index.js';
import { schedulerOf } from '../src/workers/worker-pool.js';

const status = document.getElementById('status') as HTMLElement;
const steps = document.getElementById('steps') as HTMLElement;
let failures = 0;

function line(text: string, ok: boolean): void {
  const li = document.createElement('li');
  li.className = ok ? 'pass' : 'fail';
  li.textContent = text;
  steps.append(li);
  if (!ok) failures++;
}

const eq = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return `${(e as Error).constructor.name} ${(e as { code?: string }).code} ${(e as Error).message}`;
  }
}

async function main(): Promise<void> {
  await init();
  const attrs = Array.from({ length: 24 }, (_, i) => `att${i}`);
  const policy = attrs.join(' and ');
  const { publicKey, masterKey } = setup({ scheme: 'waters11' });
  const sk = keygen(masterKey, attrs);
  const pt = new TextEncoder().encode('record in the browser');
  const pool = createWorkerPool({ size: 2 });
  await pool.ready();
  line(
    `pool of ${pool.size} Web Workers ready (Node process: ${typeof (globalThis as { process?: unknown }).process})`,
    true,
  );

  const ct = await encrypt(publicKey, policy, pt);
  const shares = schedulerOf(pool).sharesRun;
  const viaPool = await pool.decrypt(sk, ct);
  line(
    `decrypt: identical to the synchronous API (${viaPool.length} bytes), Miller loops shared: ${schedulerOf(pool).sharesRun - shares}`,
    eq(viaPool, await decrypt(sk, ct)) && schedulerOf(pool).sharesRun > shares,
  );
  const poolCt = await pool.encrypt(publicKey, policy, pt);
  line(
    `encrypt: same format (${Ciphertext.fromBytes(poolCt).rows} rows), decrypts on the page`,
    eq(await decrypt(sk, poolCt), pt) && poolCt.length === ct.length,
  );
  const issued = await pool.keygen(masterKey, attrs);
  line(`keygen: ${issued.attributes.length} attributes, decrypts`, eq(await decrypt(issued, ct), pt));
  const { key, encapsulation } = encapsulate(publicKey, policy);
  const k2 = await pool.decapsulate(sk, encapsulation);
  line('decapsulate: identical key', eq(k2, key) && eq(k2, decapsulate(sk, encapsulation)));
  const bad = ct.slice();
  bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 1;
  const [e1, e2] = [await code(pool.decrypt(sk, bad)), await code(decrypt(sk, bad))];
  line(`tampered: ${e1}`, e1 === e2 && e1.includes('ERR_DECRYPTION_FAILED'));
  const records = Array.from({ length: 6 }, (_, i) => new TextEncoder().encode(`record ${i}`));
  const cts = await Promise.all(records.map((r) => pool.encrypt(publicKey, 'att1 and att2', r)));
  const pts = await Promise.all(cts.map((c) => pool.decrypt(sk, c)));
  line(
    `bulk: ${pts.length} records round-trip`,
    pts.every((p, i) => eq(p, records[i] as Uint8Array)),
  );
  await pool.close();
  const after = await code(pool.decrypt(sk, ct));
  line(`closed: ${after}`, after.includes('POOL_CLOSED'));
}

main().then(
  () => {
    status.textContent = failures === 0 ? 'OK' : `${failures} FAILED`;
    status.className = failures === 0 ? 'ok' : 'fail';
  },
  (e: unknown) => {
    line(`error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, false);
    status.textContent = 'ERROR';
    status.className = 'fail';
  },
);
