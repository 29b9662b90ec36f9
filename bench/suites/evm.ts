/**
 * The EVM ledger (bpds/evm) on a real node (anvil, started here on 127.0.0.1, gas-free chain):
 * deploy time, gas used per operation of the permission contract (register, publish, grant,
 * revoke, request, break-glass, anchor of 1/100/1000 records), and submitted transactions per
 * second, sequential and with many in flight, beside MemoryLedger on the same workload (access
 * requests by many requesters). Writes the gas table to bench/results/evm.md (quick mode:
 * bench/results/quick/evm.md). Gas is exact; times are wall clock (the node is another process).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  attestPatient,
  createTransaction,
  type Ledger,
  MAX_CUSTODIAN_GRANTS,
  MemoryLedger,
  type SignedTransaction,
  type TxBodies,
  type TxType,
} from '../../src/chain/index.js';
import { deployPermissions, EvmLedger, PartyKeyring } from '../../src/evm/index.js';
import {
  cesHeaderDigest,
  createRecord,
  generateSigningKey,
  merkleRoot,
  recordDigest,
  type SigningKeyPair,
  signRecord,
} from '../../src/index-record/index.js';
import { toBase64url } from '../../src/internal/bytes.js';
import { ANVIL_MISSING, startAnvil } from '../../test/evm/anvil.js';
import { median } from '../lib/measure.js';
import type { Context } from '../lib/types.js';

const CHAIN = 'bpds-bench-evm';
interface Party {
  id: string;
  key: SigningKeyPair;
}
const party = (id: string): Party => ({ id, key: generateSigningKey() });
const tx = <T extends TxType>(p: Party, type: T, body: TxBodies[T]): SignedTransaction<T> =>
  createTransaction(CHAIN, p.id, type, body, p.key.secretKey);
const pk = (p: Party) => p.key.publicKey;
const patientBody = (p: Party, by: Party): TxBodies['registerPatient'] => ({
  id: p.id,
  publicKey: pk(p),
  attestation: attestPatient(
    CHAIN,
    { id: p.id, publicKey: p.key.publicKey },
    { id: by.id, secretKey: by.key.secretKey },
  ),
});

function record(h: Party, patient: string, n: number, previous?: string) {
  return signRecord(
    createRecord({
      patient,
      hospitalId: h.id,
      hospitalPublicKey: h.key.publicKey,
      ciphertextDigest: new Uint8Array(32).fill(n & 0xff),
      ciphertextSize: 4096 + n,
      scheme: 'fame',
      locator: `bpds-blob:sha256:${'ab'.repeat(32)}`,
      policyDigest: new Uint8Array(32).fill(7),
      cesHeaderDigest: cesHeaderDigest(Uint8Array.of(n & 0xff)),
      ...(previous === undefined ? {} : { previous: Buffer.from(previous, 'base64url') }),
    }),
    h.key.secretKey,
  );
}

interface GasRow {
  op: string;
  gas: number;
  note: string;
}

export const evmSuite = {
  name: 'evm',
  title: 'EVM ledger (bpds/evm on anvil): gas per operation, tx/s beside MemoryLedger',
  async run(ctx: Context): Promise<void> {
    if (ANVIL_MISSING !== undefined) return ctx.note(`evm: skipped: ${ANVIL_MISSING}`);
    const node = await startAnvil();
    try {
      await runOn(ctx, node.url, (m, p) => node.rpc(m, p));
    } finally {
      await node.stop();
    }
  },
};

async function runOn(ctx: Context, url: string, rpc: (m: string, p: unknown[]) => Promise<unknown>): Promise<void> {
  const accounts = new PartyKeyring({ generate: true });
  const opts = { gasPrice: 0n, pollingIntervalMs: 5 } as const;
  const authority = party('ministry');
  const genesis = { chainId: CHAIN, authorities: [{ id: authority.id, publicKey: pk(authority) }] };
  ctx.progress.step('evm deploy');
  const deploys: number[] = [];
  let address: `0x${string}` | undefined;
  let deployGas = 0n;
  for (let i = 0; i < (ctx.opts.quick ? 1 : 5); i++) {
    const t0 = performance.now();
    const d = await deployPermissions({
      rpcUrl: url,
      deployer: accounts.signer('deployer') as never,
      genesis,
      accounts,
      ...opts,
    });
    deploys.push(performance.now() - t0);
    address = d.address;
    deployGas = d.gasUsed;
  }
  ctx.record({
    suite: 'evm',
    scheme: 'anvil',
    op: 'deploy BpdsPermissions',
    median_ms: median(deploys),
    min_ms: Math.min(...deploys),
    max_ms: Math.max(...deploys),
    samples: deploys.length,
    wall_median_ms: median(deploys),
    note: `${deployGas} gas`,
  });
  const ledger = await EvmLedger.connect({ rpcUrl: url, address: address as `0x${string}`, accounts, ...opts });
  const gasRows: GasRow[] = [{ op: 'deploy', gas: Number(deployGas), note: 'constructor with one authority' }];
  const gasOf = async (t: SignedTransaction, op: string, note: string) => {
    const rc = await ledger.submit(t);
    const block = (await rpc('eth_getBlockByNumber', [`0x${rc.height.toString(16)}`, false])) as { gasUsed: string };
    gasRows.push({ op, gas: Number(block.gasUsed), note });
    return rc;
  };
  ctx.progress.step('evm gas per operation');
  const hospital = party('hospital-1');
  const patient = party('patient-1');
  const doctor = party('dr-1');
  const er = party('er-1');
  await gasOf(
    tx(authority, 'registerHospital', { id: hospital.id, publicKey: pk(hospital) }),
    'register hospital',
    'by the authority',
  );
  await gasOf(
    tx(authority, 'registerRequester', {
      id: doctor.id,
      publicKey: pk(doctor),
      attributes: ['role:doctor', 'dept:cardiology'],
    }),
    'register requester',
    '2 attributes',
  );
  await gasOf(
    tx(authority, 'registerRequester', {
      id: er.id,
      publicKey: pk(er),
      attributes: ['role:doctor', 'dept:er', 'clearance = 4'],
      emergency: true,
    }),
    'register requester',
    '3 attributes (one numeric: 32 bit labels), break-glass allowed',
  );
  await gasOf(
    tx(patient, 'registerPatient', patientBody(patient, hospital)),
    'register patient',
    'self-registration, attested by the hospital (checked off chain)',
  );
  const r1 = record(hospital, patient.id, 1);
  await gasOf(tx(hospital, 'publishRecord', { record: r1 }), 'publish index record', 'first record of the patient');
  const r2 = record(hospital, patient.id, 2, toBase64url(recordDigest(r1)));
  await gasOf(tx(hospital, 'publishRecord', { record: r2 }), 'publish index record', 'next record (hash-chain link)');
  const g1 = await gasOf(
    tx(patient, 'grantAccess', { recordId: r1.recordId, grantee: { requester: doctor.id } }),
    'grant',
    'to one requester, whole record',
  );
  await gasOf(
    tx(patient, 'grantAccess', {
      recordId: r1.recordId,
      grantee: { requester: doctor.id },
      fields: ['/code', '/valueQuantity', '/effectiveDateTime'],
      purposes: ['TREAT', 'HPAYMT'],
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    }),
    'grant',
    'to one requester, 3 fields, 2 purposes, expiry',
  );
  await gasOf(
    tx(patient, 'grantAccess', { recordId: r2.recordId, grantee: { policy: 'dept:cardiology and role:doctor' } }),
    'grant',
    'by attribute policy (2 leaves)',
  );
  await gasOf(
    tx(doctor, 'requestAccess', { recordId: r1.recordId, purpose: 'TREAT' }),
    'request',
    'granted by the first grant',
  );
  await gasOf(
    tx(doctor, 'requestAccess', { recordId: r2.recordId, purpose: 'TREAT' }),
    'request',
    'granted by a policy grant',
  );
  await gasOf(
    tx(er, 'requestAccess', { recordId: r1.recordId, purpose: 'TREAT' }),
    'request',
    'denied after checking 2 grants',
  );
  await gasOf(
    tx(er, 'requestAccess', { recordId: r1.recordId, purpose: 'ETREAT' }),
    'break-glass',
    'emergency requester, logged twice',
  );
  await gasOf(tx(patient, 'revokeAccess', { grantId: g1.txId }), 'revoke', '');
  // Removing a custodian revokes the live grants it made: the loop reads every grant on the
  // patient's records, so the gas grows with them.
  const parent = party('parent-1');
  await ledger.submit(tx(parent, 'registerPatient', patientBody(parent, hospital)));
  await gasOf(tx(patient, 'addCustodian', { patient: patient.id, custodian: parent.id }), 'add custodian', '');
  for (const recordId of [r1.recordId, r2.recordId]) {
    await ledger.submit(tx(parent, 'grantAccess', { recordId, grantee: { requester: doctor.id } }));
  }
  await gasOf(
    tx(patient, 'removeCustodian', { patient: patient.id, custodian: parent.id }),
    'remove custodian',
    'revokes the 2 live grants it made',
  );
  if (!ctx.opts.quick) {
    // The worst case: the custodian holds as many live grants as it may (MAX_CUSTODIAN_GRANTS).
    await ledger.submit(tx(patient, 'addCustodian', { patient: patient.id, custodian: parent.id }));
    for (let i = 0; i < MAX_CUSTODIAN_GRANTS; i++) {
      await ledger.submit(tx(parent, 'grantAccess', { recordId: r1.recordId, grantee: { requester: doctor.id } }));
    }
    await gasOf(
      tx(patient, 'removeCustodian', { patient: patient.id, custodian: parent.id }),
      'remove custodian',
      `revokes the ${MAX_CUSTODIAN_GRANTS} live grants it made (the most it may hold)`,
    );
  }
  for (const n of [1, 100, 1000]) {
    const root = toBase64url(
      merkleRoot(
        Array.from({ length: n }, (_, i) => new Uint8Array(32).fill(i & 0xff).map((x, j) => x ^ (i >> 8) ^ j)),
      ),
    );
    await gasOf(
      tx(hospital, 'anchorRecords', { root, count: n }),
      `anchor ${n} record${n > 1 ? 's' : ''}`,
      'one Merkle root on chain',
    );
  }
  for (const g of gasRows) {
    ctx.record({
      suite: 'evm',
      scheme: 'BpdsPermissions',
      op: `gas: ${g.op}`,
      bytes: null,
      note: `${g.gas} gas${g.note ? `; ${g.note}` : ''}`,
    });
  }

  // Throughput: access requests by K requesters on one record with one policy grant.
  const K = ctx.opts.quick ? 20 : 200;
  const tput: { scheme: string; op: string; perTx: number; note: string }[] = [];
  for (const kind of ['MemoryLedger', 'EvmLedger (anvil)'] as const) {
    let l: Ledger;
    if (kind === 'MemoryLedger') l = new MemoryLedger(genesis);
    else {
      const d = await deployPermissions({
        rpcUrl: url,
        deployer: accounts.signer('deployer') as never,
        genesis,
        accounts,
        ...opts,
      });
      l = await EvmLedger.connect({ rpcUrl: url, address: d.address, accounts, ...opts });
    }
    await l.submit(tx(authority, 'registerHospital', { id: hospital.id, publicKey: pk(hospital) }));
    await l.submit(tx(patient, 'registerPatient', patientBody(patient, hospital)));
    const rec = record(hospital, patient.id, 9);
    await l.submit(tx(hospital, 'publishRecord', { record: rec }));
    await l.submit(tx(patient, 'grantAccess', { recordId: rec.recordId, grantee: { policy: 'role:doctor' } }));
    const reqs = Array.from({ length: K }, (_, i) => party(`req-${i}`));
    await Promise.all(
      reqs.map((q) =>
        l.submit(tx(authority, 'registerRequester', { id: q.id, publicKey: pk(q), attributes: ['role:doctor'] })),
      ),
    );
    const ask = (q: Party) => tx(q, 'requestAccess', { recordId: rec.recordId, purpose: 'TREAT' });
    ctx.progress.step(`evm throughput ${kind} sequential x${K}`);
    const seq = reqs.map(ask);
    let t0 = performance.now();
    for (const t of seq) await l.submit(t);
    tput.push({
      scheme: kind,
      op: 'requestAccess, sequential',
      perTx: (performance.now() - t0) / K,
      note: 'submit, await the receipt, next',
    });
    ctx.progress.step(`evm throughput ${kind} concurrent x${K}`);
    const par = reqs.map(ask);
    t0 = performance.now();
    const out = await Promise.all(par.map((t) => l.submit(t)));
    tput.push({
      scheme: kind,
      op: `requestAccess, ${K} in flight`,
      perTx: (performance.now() - t0) / K,
      note: `${K} requesters at once`,
    });
    if (!out.every((r) => r.decision?.granted)) throw new Error(`${kind}: a request was not granted`);
  }
  for (const t of tput) {
    ctx.record({
      suite: 'evm',
      scheme: t.scheme,
      op: t.op,
      n: K,
      median_ms: t.perTx,
      wall_median_ms: t.perTx,
      samples: 1,
      note: `${Math.round(1000 / t.perTx)} tx/s (wall clock); ${t.note}`,
    });
  }
  writeReport(ctx, median(deploys), gasRows, tput, K);
}

function writeReport(
  ctx: Context,
  deployMs: number,
  gas: GasRow[],
  tput: { scheme: string; op: string; perTx: number }[],
  K: number,
): void {
  if (!ctx.opts.write) return;
  const lines = [
    '# EVM ledger: gas and throughput (bpds/evm)',
    '',
    `Written by \`npm run bench -- --suite evm${ctx.opts.quick ? ' --quick' : ''}\` (bench/suites/evm.ts) on ${new Date().toISOString().slice(0, 10)}:`,
    `the BpdsPermissions contract (solc 0.8.37, optimizer on) on anvil 1.7.1 (gas-free chain), Node ${process.version}.`,
    'Gas is exact and independent of the machine; times are wall clock on a shared 2-core machine',
    `(1-minute load average ${loadavg()[0]?.toFixed(1)} when the report was written: compare the two ledgers within this run only).`,
    '',
    `Deploy: ${deployMs.toFixed(0)} ms (median, send and receipt).`,
    '',
    '| operation | gas | note |',
    '|---|---:|---|',
    ...gas.map((g) => `| ${g.op} | ${g.gas.toLocaleString('en-US')} | ${g.note} |`),
    '',
    `Throughput, ${K} access requests (each decided on chain and logged), one policy grant on the record:`,
    '',
    '| ledger | workload | ms per tx | tx/s |',
    '|---|---|---:|---:|',
    ...tput.map((t) => `| ${t.scheme} | ${t.op} | ${t.perTx.toFixed(2)} | ${Math.round(1000 / t.perTx)} |`),
    '',
  ];
  mkdirSync(ctx.opts.outDir, { recursive: true });
  writeFileSync(join(ctx.opts.outDir, 'evm.md'), lines.join('\n'));
}
