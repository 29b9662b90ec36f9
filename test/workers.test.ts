/**
 * bpds/workers against the synchronous API: the same results (byte-identical where the
 * operation is deterministic), the same errors for the same bad input, tampering and
 * non-subgroup points refused exactly as `decrypt` refuses them (also when the checks
 * are split across workers), and a pool that closes without leaving a thread behind.
 */
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Ciphertext,
  decapsulate,
  decrypt,
  encapsulate,
  encrypt,
  keygen,
  type SchemeName,
  SecretKey,
  setup,
} from '../src/cpabe/index.js';
import { init } from '../src/pairing/index.js';
import { createWorkerPool, type WorkerPool, WorkerPoolError } from '../src/workers/index.js';
import { schedulerOf } from '../src/workers/worker-pool.js';
import { runs } from './helpers.js';

const SCHEMES: readonly SchemeName[] = ['fame', 'waters11', 'bsw07'];
const pt = new TextEncoder().encode('patient 17: troponin 0.04 ng/mL');
const ad = new TextEncoder().encode('record-17');
/** An AND of 24 attributes: 26 Miller-loop pairs and 24 deferred G2 checks in Waters11, enough to split. */
const ATTRS = Array.from({ length: 24 }, (_, i) => `att${i}`);
const BIG = ATTRS.join(' and ');
const threads = () => readdirSync('/proc/self/task').length;

/** The settled outcome of a call: its value, or its error's class, code and message. */
async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await p };
  } catch (e) {
    const err = e as Error & { code?: string; column?: number };
    return { error: err.constructor.name, code: err.code, message: err.message, column: err.column };
  }
}

let pool: WorkerPool;

beforeAll(async () => {
  await init();
  // Warm the main thread's own thread pool (WebCrypto) before counting threads.
  await encrypt(setup().publicKey, 'a', pt);
  pool = createWorkerPool({ size: 2 });
  await pool.ready();
}, 120_000);

afterAll(() => pool?.close());

describe.each(SCHEMES)('round trips against the synchronous API (%s)', (scheme) => {
  let keys: ReturnType<typeof setup>;
  let sk: SecretKey;
  beforeAll(() => {
    keys = setup({ scheme });
    sk = keygen(keys.masterKey, ['a', 'b', ...ATTRS]);
  });

  it('decrypt and decapsulate: byte-identical to the synchronous results', async () => {
    for (const policy of ['a and (b or c)', BIG]) {
      const ct = await encrypt(keys.publicKey, policy, pt, { associatedData: ad });
      expect(await pool.decrypt(sk, ct, { associatedData: ad })).toEqual(await decrypt(sk, ct, { associatedData: ad }));
      const { key, encapsulation } = encapsulate(keys.publicKey, policy);
      const got = await pool.decapsulate(sk, encapsulation);
      expect(got).toEqual(decapsulate(sk, encapsulation));
      expect(got).toEqual(key);
    }
  });

  it('encrypt, encapsulate, keygen: the same format, and they decrypt with the synchronous API', async () => {
    const ct = await pool.encrypt(keys.publicKey, BIG, pt, { associatedData: ad });
    const ref = Ciphertext.fromBytes(await encrypt(keys.publicKey, BIG, pt, { associatedData: ad }));
    const got = Ciphertext.fromBytes(ct);
    expect([got.scheme, got.policy, got.rows, got.byteLength, got.kind]).toEqual([
      ref.scheme,
      ref.policy,
      ref.rows,
      ref.byteLength,
      ref.kind,
    ]);
    expect(await decrypt(sk, ct, { associatedData: ad })).toEqual(pt);
    const { key, encapsulation } = await pool.encapsulate(keys.publicKey, 'a and b');
    expect(decapsulate(sk, encapsulation)).toEqual(key);
    const issued = await pool.keygen(keys.masterKey, ['a', 'b', ...ATTRS]);
    expect(issued).toBeInstanceOf(SecretKey);
    expect(issued.attributes).toEqual(sk.attributes);
    expect(issued.toBytes().length).toBe(sk.toBytes().length);
    // what the caller's thread rebuilt without re-validating is a fully valid key
    expect(SecretKey.fromBytes(issued.toBytes()).toBytes()).toEqual(issued.toBytes());
    expect(issued.publicKey).toBe(keys.publicKey);
    expect(await decrypt(issued, ct, { associatedData: ad })).toEqual(pt);
  });

  it('a Policy object is accepted as by the synchronous API', async () => {
    const { parsePolicy } = await import('../src/policy/index.js');
    const ct = await pool.encrypt(keys.publicKey, parsePolicy('a and b'), pt);
    expect(Ciphertext.fromBytes(ct).policy).toBe('a and b');
    expect(await decrypt(sk, ct)).toEqual(pt);
  });
});

describe('a large decryption is split across the pool', () => {
  it('Waters11 and BSW07 at 24 rows run Miller-loop shares on the second worker', async () => {
    for (const scheme of ['waters11', 'bsw07'] as const) {
      const { publicKey, masterKey } = setup({ scheme });
      const sk = keygen(masterKey, ATTRS);
      const ct = await encrypt(publicKey, BIG, pt);
      const before = schedulerOf(pool).sharesRun;
      expect(await pool.decrypt(sk, ct)).toEqual(pt);
      expect(schedulerOf(pool).sharesRun).toBe(before + 1);
    }
  });

  it('bulk work spreads: 8 concurrent encryptions and decryptions all round-trip', async () => {
    const { publicKey, masterKey } = setup({ scheme: 'waters11' });
    const sk = keygen(masterKey, ATTRS);
    const records = Array.from({ length: 8 }, (_, i) => new TextEncoder().encode(`record ${i}`));
    const cts = await Promise.all(records.map((r) => pool.encrypt(publicKey, BIG, r)));
    const pts = await Promise.all(cts.map((c) => pool.decrypt(sk, c)));
    expect(pts).toEqual(records);
  });
});

describe('refusals: the same error classes, codes and messages as the synchronous API', () => {
  let keys: ReturnType<typeof setup>;
  let sk: SecretKey;
  let ct: Uint8Array;
  beforeAll(async () => {
    keys = setup({ scheme: 'waters11' });
    sk = keygen(keys.masterKey, ATTRS);
    ct = await encrypt(keys.publicKey, BIG, pt, { associatedData: ad });
  });

  it('bad arguments, policies, keys and associated data', async () => {
    const other = setup({ scheme: 'waters11' });
    const otherSk = keygen(other.masterKey, ATTRS);
    const kem = encapsulate(keys.publicKey, BIG).encapsulation;
    const short = keygen(keys.masterKey, ATTRS.slice(1));
    const cases: Array<[() => Promise<unknown>, () => Promise<unknown>]> = [
      [() => pool.decrypt(sk, ct), async () => decrypt(sk, ct)],
      [() => pool.decrypt(short, ct, { associatedData: ad }), async () => decrypt(short, ct, { associatedData: ad })],
      [
        () => pool.decrypt(otherSk, ct, { associatedData: ad }),
        async () => decrypt(otherSk, ct, { associatedData: ad }),
      ],
      [() => pool.decrypt(sk, kem), async () => decrypt(sk, kem)],
      [() => pool.decapsulate(sk, ct), async () => decapsulate(sk, ct)],
      [() => pool.decrypt(sk, ct.subarray(0, 40)), async () => decrypt(sk, ct.subarray(0, 40))],
      [() => pool.decrypt('sk' as never, ct), async () => decrypt('sk' as never, ct)],
      [() => pool.decrypt(sk, 'ct' as never), async () => decrypt(sk, 'ct' as never)],
      [
        () => pool.decrypt(sk, ct, { associatedData: 'x' as never }),
        async () => decrypt(sk, ct, { associatedData: 'x' as never }),
      ],
      [() => pool.encrypt(keys.publicKey, 'a and (b', pt), async () => encrypt(keys.publicKey, 'a and (b', pt)],
      [() => pool.encrypt(keys.publicKey, 'a and not b', pt), async () => encrypt(keys.publicKey, 'a and not b', pt)],
      [() => pool.encrypt(keys.publicKey, 42 as never, pt), async () => encrypt(keys.publicKey, 42 as never, pt)],
      [() => pool.encrypt(keys.masterKey as never, 'a', pt), async () => encrypt(keys.masterKey as never, 'a', pt)],
      [() => pool.encapsulate(keys.publicKey, ''), async () => encapsulate(keys.publicKey, '')],
      [() => pool.keygen(keys.masterKey, ['level = abc']), async () => keygen(keys.masterKey, ['level = abc'])],
      [() => pool.keygen(keys.masterKey, 'a' as never), async () => keygen(keys.masterKey, 'a' as never)],
      [() => pool.keygen(keys.publicKey as never, ['a']), async () => keygen(keys.publicKey as never, ['a'])],
    ];
    for (const [viaPool, viaSync] of cases) {
      const want = await outcome(viaSync());
      expect(want).toHaveProperty('error');
      expect(await outcome(viaPool())).toEqual(want);
    }
  });

  it('every byte of the framing, sampled bytes of the rest: the same outcome as decrypt', async () => {
    const c = Ciphertext.fromBytes(ct);
    const abeStart = c.headerBytes - 32 - c.abeBytes;
    const positions = [
      ...Array.from({ length: 12 }, (_, i) => 4 + i),
      ...Array.from({ length: 24 }, (_, i) => abeStart + Math.floor((c.abeBytes * i) / 24)),
      c.headerBytes - 5,
      c.headerBytes + 3,
      ct.length - 1,
    ];
    for (const pos of positions) {
      const bad = ct.slice();
      bad[pos] = (bad[pos] as number) ^ 0x01;
      expect(await outcome(pool.decrypt(sk, bad, { associatedData: ad }))).toEqual(
        await outcome(decrypt(sk, bad, { associatedData: ad })),
      );
    }
  });

  it('random single-byte changes (fast-check): the same outcome as decrypt', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 1 << 30 }), fc.integer({ min: 1, max: 255 }), async (p, x) => {
        const bad = ct.slice();
        const pos = p % ct.length;
        bad[pos] = (bad[pos] as number) ^ x;
        expect(await outcome(pool.decrypt(sk, bad, { associatedData: ad }))).toEqual(
          await outcome(decrypt(sk, bad, { associatedData: ad })),
        );
      }),
      { numRuns: runs(12) },
    );
  });

  it('a G2 point outside the subgroup is refused with the synchronous error, in either share', async () => {
    const mcl = (await import('mcl-wasm')).default;
    const bogus = nonSubgroupG2(mcl);
    const c = Ciphertext.fromBytes(ct);
    const abeStart = c.headerBytes - 32 - c.abeBytes;
    const dAt = (row: number) => abeStart + 32 + row * 96 + 32;
    const kem = encapsulate(keys.publicKey, BIG).encapsulation;
    const kemAbe = Ciphertext.fromBytes(kem).headerBytes - Ciphertext.fromBytes(kem).abeBytes;
    const short = keygen(keys.masterKey, ATTRS.slice(1));
    const before = schedulerOf(pool).sharesRun;
    // rows in the coordinator's share (first half) and in the helper's (second half)
    for (const row of [0, 3, 17, 23]) {
      const bad = ct.slice();
      bad.set(bogus, dAt(row));
      const want = await outcome(decrypt(sk, bad, { associatedData: ad }));
      expect(want).toMatchObject({ error: 'InvalidEncodingError', message: expect.stringMatching(/subgroup/) });
      expect(await outcome(pool.decrypt(sk, bad, { associatedData: ad }))).toEqual(want);
      // with a second, later fault (off the curve): the first in decode order wins, as in decrypt
      const worse = bad.slice();
      worse[dAt(23 - (row % 2)) + 5] = (worse[dAt(23 - (row % 2)) + 5] as number) ^ 0x55;
      expect(await outcome(pool.decrypt(sk, worse, { associatedData: ad }))).toEqual(
        await outcome(decrypt(sk, worse, { associatedData: ad })),
      );
      // a key that does not satisfy the policy: the bad point is still reported first
      expect(await outcome(pool.decrypt(short, bad, { associatedData: ad }))).toEqual(
        await outcome(decrypt(short, bad, { associatedData: ad })),
      );
      const badKem = kem.slice();
      badKem.set(bogus, kemAbe + 32 + row * 96 + 32);
      expect(await outcome(pool.decapsulate(sk, badKem))).toEqual(
        await outcome((async () => decapsulate(sk, badKem))()),
      );
    }
    expect(schedulerOf(pool).sharesRun).toBeGreaterThan(before);
  });
});

describe('worker failures', () => {
  it('a worker that dies mid-task fails that task with WORKER_CRASHED; the pool goes on', async () => {
    const small = createWorkerPool({ size: 1 });
    try {
      const { publicKey, masterKey } = setup({ scheme: 'waters11' });
      const crashed = await outcome(schedulerOf(small).run('exit', {}));
      expect(crashed).toMatchObject({ error: 'WorkerPoolError', code: 'ERR_WORKER_POOL' });
      expect((crashed as { message: string }).message).toMatch(/WORKER_CRASHED/);
      const ct = await small.encrypt(publicKey, 'a and b', pt);
      expect(await decrypt(keygen(masterKey, ['a', 'b']), ct)).toEqual(pt);
    } finally {
      await small.close();
    }
  });

  it('a worker script that cannot load: WORKER_START_FAILED, nothing hangs', async () => {
    const broken = createWorkerPool({ size: 1, workerUrl: new URL('./no-such-worker.js', import.meta.url) });
    const e = await broken.ready().then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(WorkerPoolError);
    expect((e as WorkerPoolError).reason).toBe('WORKER_START_FAILED');
    await expect(broken.encrypt(setup().publicKey, 'a', pt)).rejects.toMatchObject({ reason: 'WORKER_START_FAILED' });
    await broken.close();
  });

  it('bad options are refused', () => {
    expect(() => createWorkerPool({ size: 0 })).toThrow(/options.size/);
    expect(() => createWorkerPool({ size: 1.5 })).toThrow(/options.size/);
    expect(() => createWorkerPool({ workerUrl: 3 as never })).toThrow(/workerUrl/);
  });
});

describe('close', () => {
  it('rejects pending and later tasks with POOL_CLOSED and leaves no thread behind', async () => {
    const { publicKey } = setup({ scheme: 'waters11' });
    const pending = Array.from({ length: 6 }, () => pool.encrypt(publicKey, BIG, pt));
    const closing = pool.close();
    expect(pool.closed).toBe(true);
    for (const p of pending) await expect(p).rejects.toMatchObject({ code: 'ERR_WORKER_POOL', reason: 'POOL_CLOSED' });
    await closing;
    await pool.close(); // idempotent
    await expect(pool.encrypt(publicKey, 'a', pt)).rejects.toMatchObject({ reason: 'POOL_CLOSED' });
    await expect(pool.ready()).rejects.toMatchObject({ reason: 'POOL_CLOSED' });
    // a second pool, opened and closed with a task in flight: the thread count comes back
    const before = threads();
    const again = createWorkerPool({ size: 2 });
    await again.ready();
    expect(threads()).toBeGreaterThanOrEqual(before + 2);
    const inFlight = expect(again.encrypt(publicKey, BIG, pt)).rejects.toMatchObject({ reason: 'POOL_CLOSED' });
    await again.close();
    await inFlight;
    expect(threads()).toBeLessThanOrEqual(before);
  });
});

/** A point on the twist y^2 = x^3 + 2/(1+i) outside the order-r subgroup, as mcl serializes it. */
function nonSubgroupG2(mcl: typeof import('mcl-wasm')): Uint8Array {
  const b = new mcl.Fp2();
  b.setInt(2, 0);
  const xi = new mcl.Fp2();
  xi.setInt(1, 1);
  const twistB = mcl.div(b, xi);
  for (let x = 1; ; x++) {
    const xx = new mcl.Fp2();
    xx.setInt(x, 1);
    const [ok, y] = mcl.squareRoot(mcl.add(mcl.mul(mcl.mul(xx, xx), xx), twistB));
    if (!ok) continue;
    const Q = new mcl.G2();
    Q.setX(xx);
    Q.setY(y);
    const one = new mcl.Fp2();
    one.setInt(1, 0);
    Q.setZ(one);
    return Q.serialize();
  }
}
