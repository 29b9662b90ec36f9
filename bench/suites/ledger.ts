/**
 * MemoryLedger throughput (bpds/chain): signed transactions per second with
 * signature verification on, for two workloads (patient registration:
 * the transaction's signature and the hospital's attestation; index-record publication: the transaction's and the record's
 * signatures plus the contract's checks), and `verifyChain` on the result.
 * Transactions are built and signed beforehand (the clients' cost, untimed),
 * then submitted concurrently and awaited, as a busy ledger receives them.
 */

import { load } from '../lib/load.js';
import { cpuNow, median, timingFields } from '../lib/measure.js';
import type { Context } from '../lib/types.js';

type Tx = unknown;
interface LedgerLike {
  submit(tx: Tx): Promise<unknown>;
  seal(): number;
  verifyChain(): { ok: boolean };
}
interface ChainApi {
  MemoryLedger: new (genesis: unknown, options?: unknown) => LedgerLike;
  createTransaction(chainId: string, actor: string, type: string, body: unknown, secretKey: Uint8Array): Tx;
  attestPatient(
    chainId: string,
    patient: { id: string; publicKey: string },
    attester: { id: string; secretKey: Uint8Array },
  ): unknown;
}
interface RecordApi {
  generateSigningKey(): { secretKey: Uint8Array; publicKey: string };
  createRecord(input: Record<string, unknown>): unknown;
  signRecord(record: unknown, secretKey: Uint8Array): unknown;
}
type Keys = { secretKey: Uint8Array; publicKey: string };

const CHAIN = 'bpds-bench';
const digest = (i: number) => Uint8Array.from({ length: 32 }, (_, j) => (i * 13 + j) & 0xff);

interface World {
  ledger: LedgerLike;
  authority: Keys;
  hospital: Keys;
  patients: Keys[];
}

/** A fresh ledger with one hospital; `registered` patients already registered. */
async function world(c: ChainApi, r: RecordApi, patients: Keys[], registered: boolean): Promise<World> {
  const authority = r.generateSigningKey();
  const hospital = r.generateSigningKey();
  const ledger = new c.MemoryLedger({
    chainId: CHAIN,
    authorities: [{ id: 'ministry', publicKey: authority.publicKey }],
  });
  await ledger.submit(
    c.createTransaction(
      CHAIN,
      'ministry',
      'registerHospital',
      { id: 'hospital-1', publicKey: hospital.publicKey },
      authority.secretKey,
    ),
  );
  if (registered) await Promise.all(patients.map((p, i) => ledger.submit(registerPatient(c, hospital, p, i))));
  return { ledger, authority, hospital, patients };
}

/** A patient's registration, attested by hospital-1 (the contract verifies both signatures). */
const registerPatient = (c: ChainApi, hospital: Keys, p: Keys, i: number) =>
  c.createTransaction(
    CHAIN,
    `patient-${i}`,
    'registerPatient',
    {
      id: `patient-${i}`,
      publicKey: p.publicKey,
      attestation: c.attestPatient(
        CHAIN,
        { id: `patient-${i}`, publicKey: p.publicKey },
        { id: 'hospital-1', secretKey: hospital.secretKey },
      ),
    },
    p.secretKey,
  );

function publishRecord(c: ChainApi, r: RecordApi, w: World, i: number): Tx {
  const draft = r.createRecord({
    patient: `patient-${i}`,
    hospitalId: 'hospital-1',
    hospitalPublicKey: w.hospital.publicKey,
    ciphertextDigest: digest(i),
    ciphertextSize: 4096 + i,
    scheme: 'fame',
    locator: `bpds-blob:sha256:${Buffer.from(digest(i)).toString('hex')}`,
    policyDigest: digest(i + 1),
    cesHeaderDigest: digest(i + 2),
    keywords: ['cardiology'],
  });
  const record = r.signRecord(draft, w.hospital.secretKey);
  return c.createTransaction(CHAIN, 'hospital-1', 'publishRecord', { record }, w.hospital.secretKey);
}

export async function runLedger(ctx: Context): Promise<void> {
  const ch = await load<ChainApi>('src/chain/index.js', ['MemoryLedger', 'createTransaction']);
  if (!ch.ok) return ctx.note(`records: ledger skipped: ${ch.reason}`);
  const ir = await load<RecordApi>('src/index-record/index.js', ['generateSigningKey', 'createRecord', 'signRecord']);
  if (!ir.ok) return ctx.note(`records: ledger skipped: ${ir.reason}`);
  const c = ch.mod;
  const r = ir.mod;
  const K = ctx.opts.quick ? 50 : 1000;
  const runs = ctx.opts.quick ? 1 : 3;
  const scheme = 'MemoryLedger';

  const workloads = [
    {
      op: 'submit registerPatient',
      note: 'two Ed25519 verifications per transaction (signature, hospital attestation)',
      prepare: async () => {
        const patients = Array.from({ length: K }, () => r.generateSigningKey());
        const w = await world(c, r, patients, false);
        return { w, txs: patients.map((p, i) => registerPatient(c, w.hospital, p, i)) };
      },
    },
    {
      op: 'submit publishRecord',
      note: 'transaction and index-record signatures verified, per-patient hash chain checked',
      prepare: async () => {
        const patients = Array.from({ length: K }, () => r.generateSigningKey());
        const w = await world(c, r, patients, true);
        return { w, txs: patients.map((_, i) => publishRecord(c, r, w, i)) };
      },
    },
  ];
  for (const wl of workloads) {
    if (!ctx.wants(scheme, wl.op)) continue;
    const perTx: number[] = [];
    const wallPerTx: number[] = [];
    const clock = ctx.measure.clock === 'cpu' ? cpuNow : () => performance.now();
    let last: World | undefined;
    for (let run = 0; run < runs; run++) {
      ctx.progress.step(`records ledger ${wl.op} x${K} (run ${run + 1}/${runs})`);
      const { w, txs } = await wl.prepare();
      const c0 = clock();
      const t0 = performance.now();
      await Promise.all(txs.map((tx) => w.ledger.submit(tx)));
      w.ledger.seal();
      wallPerTx.push((performance.now() - t0) / K);
      perTx.push((clock() - c0) / K);
      last = w;
    }
    const m = median(perTx);
    const mw = median(wallPerTx);
    ctx.record({
      suite: 'records',
      scheme,
      op: wl.op,
      n: K,
      median_ms: m,
      min_ms: Math.min(...perTx),
      max_ms: Math.max(...perTx),
      samples: perTx.length,
      wall_median_ms: mw,
      note:
        `${Math.round(1000 / m).toLocaleString('en-US')} tx/s by ${ctx.measure.clock === 'cpu' ? 'CPU time' : 'wall clock'}` +
        `${ctx.measure.clock === 'cpu' ? `, ${Math.round(1000 / mw).toLocaleString('en-US')} tx/s by wall clock` : ''}` +
        ` (median of ${runs} run(s) of ${K}); ${wl.note}`,
    });
    if (last !== undefined && ctx.wants(scheme, `verifyChain (${wl.op.replace('submit ', '')})`)) {
      const ledger = last.ledger;
      if (!ledger.verifyChain().ok) throw new Error('MemoryLedger: verifyChain failed on an untampered chain');
      ctx.progress.step(`records ledger verifyChain after ${wl.op}`);
      const t = ctx.measure.sync(() => ledger.verifyChain(), { budgetScale: 0.5 });
      ctx.record({
        suite: 'records',
        scheme,
        op: `verifyChain (${wl.op.replace('submit ', '')})`,
        n: K,
        ...timingFields(t),
        note: 'whole chain: block links, Merkle roots, sealed checkpoints',
      });
    }
  }
}
