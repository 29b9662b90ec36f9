/**
 * What only an EVM node brings: concurrent submissions from one account (nonces), a node that
 * goes down and restarts mid-flow (typed errors, nothing confirmed lost), the `confirmations`
 * option, an EIP-1193 provider instead of a URL, and typed errors for misconfiguration.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EIP1193Provider } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { createTransaction } from '../../src/chain/index.js';
import { InvalidArgumentError, LedgerError } from '../../src/errors.js';
import { deployPermissions, EvmLedger, PartyKeyring } from '../../src/evm/index.js';
import { generateSigningKey } from '../../src/index-record/index.js';
import { type Actor, actor, makeRecord, patientBody } from '../chain-fixture.js';
import { ANVIL_MISSING, startAnvil } from './anvil.js';
import { EVM_OPTS, evmBackend } from './fixture.js';

const evm = evmBackend();
const CHAIN = 'bpds-evm';
const pk = (a: Actor) => a.key.publicKey;
const tx = (a: Actor, type: Parameters<typeof createTransaction>[2], body: object) =>
  createTransaction(CHAIN, a.id, type, body as never, a.key.secretKey);

async function reason(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(LedgerError);
  return (e as LedgerError).reason;
}

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(ANVIL_MISSING !== undefined)('EvmLedger on a real node', () => {
  it('many concurrent submissions from one account get distinct nonces and all apply', async () => {
    const authority = actor('ministry');
    const { ledger } = await evm.create({
      chainId: CHAIN,
      authorities: [{ id: authority.id, publicKey: pk(authority) }],
    });
    const hospital = actor('hospital-1');
    const patient = actor('patient-1');
    const doctor = actor('dr-1');
    await ledger.submit(tx(authority, 'registerHospital', { id: hospital.id, publicKey: pk(hospital) }));
    await ledger.submit(tx(patient, 'registerPatient', patientBody(patient, authority, CHAIN)));
    await ledger.submit(
      tx(authority, 'registerRequester', { id: doctor.id, publicKey: pk(doctor), attributes: ['x'] }),
    );
    const record = makeRecord(hospital, patient.id);
    await ledger.submit(tx(hospital, 'publishRecord', { record }));
    await ledger.submit(tx(patient, 'grantAccess', { recordId: record.recordId, grantee: { requester: doctor.id } }));
    // 25 requests from the doctor's one account, and 5 grants from the patient's, all at once.
    const out = await Promise.all([
      ...Array.from({ length: 25 }, () =>
        ledger.submit(tx(doctor, 'requestAccess', { recordId: record.recordId, purpose: 'TREAT' })),
      ),
      ...Array.from({ length: 5 }, () =>
        ledger.submit(tx(patient, 'grantAccess', { recordId: record.recordId, grantee: { requester: doctor.id } })),
      ),
    ]);
    expect(new Set(out.map((r) => r.seq)).size).toBe(30);
    expect(out.slice(0, 25).every((r) => r.decision?.granted)).toBe(true);
    expect(await ledger.getPermissions(record.recordId)).toHaveLength(6);
    const log = await ledger.getAuditLog(patient.id);
    expect(log.filter((e) => e.type === 'AccessDecided')).toHaveLength(25);
    const from = evm.accounts.address(doctor.id) as string;
    const nonce = Number(await evm.anvil().rpc('eth_getTransactionCount', [from, 'latest']));
    expect(nonce).toBe(25);
  });

  it('a node that goes down mid-flow gives typed errors; after it restarts nothing confirmed is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpds-anvil-'));
    tmp.push(dir);
    const state = join(dir, 'state.json');
    let node = await startAnvil(['--state', state]);
    const port = node.port;
    try {
      const accounts = new PartyKeyring({ generate: true });
      const authority = actor('ministry');
      const genesis = { chainId: CHAIN, authorities: [{ id: authority.id, publicKey: pk(authority) }] };
      const { address } = await deployPermissions({
        rpcUrl: node.url,
        deployer: accounts.signer('deployer') as never,
        genesis,
        accounts,
        ...EVM_OPTS,
      });
      const ledger = await EvmLedger.connect({ rpcUrl: node.url, address, accounts, ...EVM_OPTS, timeoutMs: 3000 });
      const hospital = actor('hospital-1');
      const patient = actor('patient-1');
      await ledger.submit(tx(authority, 'registerHospital', { id: hospital.id, publicKey: pk(hospital) }));
      await ledger.submit(tx(patient, 'registerPatient', patientBody(patient, authority, CHAIN)));
      const r1 = makeRecord(hospital, patient.id, undefined, 1);
      await ledger.submit(tx(hospital, 'publishRecord', { record: r1 }));

      await node.stop();
      const r2 = makeRecord(hospital, patient.id, await ledger.getRecordHead(patient.id).catch(() => undefined), 2);
      expect(await reason(ledger.submit(tx(hospital, 'publishRecord', { record: r2 })))).toBe('NODE_UNAVAILABLE');
      expect(await reason(ledger.getRecord(r1.recordId))).toBe('NODE_UNAVAILABLE');
      expect(await reason(ledger.getAuditLog(patient.id))).toBe('NODE_UNAVAILABLE');
      expect(await reason(EvmLedger.connect({ rpcUrl: node.url, address, accounts, ...EVM_OPTS }))).toBe(
        'NODE_UNAVAILABLE',
      );

      node = await startAnvil(['--state', state], port);
      expect(await ledger.listRecords(patient.id)).toEqual([r1]);
      expect((await ledger.getParty(hospital.id))?.role).toBe('hospital');
      const r2b = makeRecord(hospital, patient.id, await ledger.getRecordHead(patient.id), 3);
      const rc = await ledger.submit(tx(hospital, 'publishRecord', { record: r2b }));
      expect(rc.events[0]?.type).toBe('RecordPublished');
      expect(await ledger.listRecords(patient.id)).toEqual([r1, r2b]);
      expect((await ledger.getAuditLog(patient.id)).map((e) => e.type)).toEqual([
        'PartyRegistered',
        'RecordPublished',
        'RecordPublished',
      ]);
    } finally {
      await node.stop();
    }
  });

  it('confirmations: submit resolves only once the transaction has that many blocks on it', async () => {
    const authority = actor('ministry');
    const { ledger } = await evm.create({
      chainId: CHAIN,
      authorities: [{ id: authority.id, publicKey: pk(authority) }],
    });
    const slow = await EvmLedger.connect({
      rpcUrl: evm.anvil().url,
      address: (ledger as EvmLedger).address,
      accounts: evm.accounts,
      ...EVM_OPTS,
      confirmations: 3,
    });
    const p = actor('patient-c');
    let done = false;
    const pending = slow.submit(tx(p, 'registerPatient', patientBody(p, authority, CHAIN))).then((r) => {
      done = true;
      return r;
    });
    for (let i = 0; i < 50 && (await ledger.getParty(p.id)) === undefined; i++)
      await new Promise((s) => setTimeout(s, 20));
    expect((await ledger.getParty(p.id))?.role).toBe('patient');
    await new Promise((s) => setTimeout(s, 150));
    expect(done).toBe(false);
    await evm.anvil().rpc('anvil_mine', ['0x2']);
    const rc = await pending;
    expect(rc.events[0]?.type).toBe('PartyRegistered');
  });

  it('works through an EIP-1193 provider as through a URL', async () => {
    const authority = actor('ministry');
    const { ledger } = await evm.create({
      chainId: CHAIN,
      authorities: [{ id: authority.id, publicKey: pk(authority) }],
    });
    const url = evm.anvil().url;
    let calls = 0;
    const provider = {
      async request({ method, params }: { method: string; params?: unknown }) {
        calls++;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: calls, method, params: params ?? [] }),
        });
        const j = (await res.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
        if (j.error !== undefined) throw Object.assign(new Error(j.error.message), j.error);
        return j.result;
      },
    } as unknown as EIP1193Provider;
    const viaProvider = await EvmLedger.connect({
      provider,
      address: (ledger as EvmLedger).address,
      accounts: evm.accounts,
      ...EVM_OPTS,
    });
    expect(viaProvider.chainId).toBe(CHAIN);
    const p = actor('patient-p');
    await viaProvider.submit(tx(p, 'registerPatient', patientBody(p, authority, CHAIN)));
    expect(await reason(viaProvider.submit(tx(p, 'registerPatient', patientBody(p, authority, CHAIN))))).toBe(
      'ALREADY_REGISTERED',
    );
    expect((await ledger.getParty(p.id))?.role).toBe('patient');
    expect(calls).toBeGreaterThan(3);
  });

  it('typed errors for missing accounts, a missing contract and bad options', async () => {
    const authority = actor('ministry');
    const { ledger } = await evm.create({
      chainId: CHAIN,
      authorities: [{ id: authority.id, publicKey: pk(authority) }],
    });
    const address = (ledger as EvmLedger).address;
    const url = evm.anvil().url;
    const strict = await EvmLedger.connect({ rpcUrl: url, address, accounts: new PartyKeyring(), ...EVM_OPTS });
    const p = actor('patient-x');
    expect(await reason(strict.submit(tx(p, 'registerPatient', patientBody(p, authority, CHAIN))))).toBe('NO_ACCOUNT');
    const known = new PartyKeyring();
    known.add(authority.id, generateSigningKey().secretKey);
    const noAddress = await EvmLedger.connect({ rpcUrl: url, address, accounts: known, ...EVM_OPTS });
    const h = actor('hospital-x');
    expect(await reason(noAddress.submit(tx(authority, 'registerHospital', { id: h.id, publicKey: pk(h) })))).toBe(
      'NO_ACCOUNT',
    );
    expect(
      await reason(EvmLedger.connect({ rpcUrl: url, address: `0x${'11'.repeat(20)}`, accounts: known, ...EVM_OPTS })),
    ).toBe('NO_CONTRACT');
    await expect(EvmLedger.connect({ rpcUrl: 'ftp://x', address, accounts: known })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(EvmLedger.connect({ rpcUrl: url, address: '0x12' as never, accounts: known })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(EvmLedger.connect({ rpcUrl: url, address, accounts: known, confirmations: 0 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(() => known.add('x', new Uint8Array(31))).toThrow(InvalidArgumentError);
    expect(() => known.add('x', new Uint8Array(32))).toThrow(InvalidArgumentError);
    expect(() => strict.subscribe(null as never)).toThrow(InvalidArgumentError);
  });
});
