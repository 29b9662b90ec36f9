import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createTransaction,
  MemoryLedger,
  PermissionContract,
  parseTransaction,
  serializeTransaction,
} from '../src/chain/index.js';
import { BpdsError, InvalidArgumentError, InvalidEncodingError, LedgerError } from '../src/errors.js';
import { generateSigningKey } from '../src/index-record/index.js';
import { loadLedgerFile, saveLedgerFile } from '../src/node/index.js';
import { actor, CHAIN, patientBody, pk, publish, tx, world } from './chain-fixture.js';
import { runs } from './helpers.js';

async function reason(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => (e instanceof LedgerError ? e.reason : `not a LedgerError: ${String(e)}`),
  );
}

describe('more contract rules', () => {
  it('only authorities register requesters; attributes must be valid policy attributes', async () => {
    const w = await world();
    const r = actor('lab-1');
    expect(
      await reason(
        w.ledger.submit(tx(w.hospital, 'registerRequester', { id: r.id, publicKey: pk(r), attributes: [] })),
      ),
    ).toBe('UNAUTHORIZED_SIGNER');
    expect(
      await reason(
        w.ledger.submit(
          tx(w.authority, 'registerRequester', { id: r.id, publicKey: pk(r), attributes: ['level = abc'] }),
        ),
      ),
    ).toBe('INVALID_ATTRIBUTES');
    await w.ledger.submit(
      tx(w.authority, 'registerRequester', { id: r.id, publicKey: pk(r), attributes: ['role:lab', 'level = 3'] }),
    );
    expect((await w.ledger.getParty(r.id))?.attributes).toEqual(['role:lab', 'level = 3']);
  });
  it('a patient cannot be their own custodian; custodians cannot name custodians', async () => {
    const w = await world();
    expect(
      await reason(w.ledger.submit(tx(w.patient, 'addCustodian', { patient: w.patient.id, custodian: w.patient.id }))),
    ).toBe('INVALID_CUSTODIAN');
    await w.ledger.submit(tx(w.patient, 'addCustodian', { patient: w.patient.id, custodian: w.parent.id }));
    expect(
      await reason(w.ledger.submit(tx(w.parent, 'addCustodian', { patient: w.patient.id, custodian: w.doctor.id }))),
    ).toBe('UNAUTHORIZED_SIGNER');
  });
  it('the break-glass window comes from the genesis', async () => {
    const authority = actor('ministry');
    const clock = { t: Date.UTC(2026, 0, 1) };
    const ledger = new MemoryLedger(
      { chainId: CHAIN, authorities: [{ id: authority.id, publicKey: pk(authority) }], breakGlassSeconds: 600 },
      { now: () => clock.t },
    );
    const hospital = actor('hospital-1');
    const patient = actor('patient-1');
    const er = actor('er');
    await ledger.submit(tx(authority, 'registerHospital', { id: hospital.id, publicKey: pk(hospital) }));
    await ledger.submit(
      tx(authority, 'registerRequester', { id: er.id, publicKey: pk(er), attributes: [], emergency: true }),
    );
    await ledger.submit(tx(patient, 'registerPatient', patientBody(patient, hospital)));
    const w = { ledger, hospital, patient } as unknown as Parameters<typeof publish>[0];
    const r = await publish(w);
    const d = (await ledger.submit(tx(er, 'requestAccess', { recordId: r.recordId, purpose: 'ETREAT' }))).decision;
    expect(d?.expiresAt).toBe('2026-01-01T00:10:00Z');
  });
  it('rejects malformed genesis configurations and options by name', () => {
    const a = generateSigningKey().publicKey;
    const bad: unknown[] = [
      null,
      {},
      { chainId: '', authorities: [{ id: 'a', publicKey: a }] },
      { chainId: 'c', authorities: [] },
      { chainId: 'c', authorities: [{ id: 'a', publicKey: 'xx' }] },
      {
        chainId: 'c',
        authorities: [
          { id: 'a', publicKey: a },
          { id: 'a', publicKey: a },
        ],
      },
      { chainId: 'c', authorities: [{ id: 'a', publicKey: a }], breakGlassSeconds: 0 },
      { chainId: 'c', authorities: [{ id: 'a', publicKey: a }], extra: 1 },
    ];
    for (const g of bad) expect(() => new MemoryLedger(g as never)).toThrow(InvalidArgumentError);
    const g = { chainId: 'c', authorities: [{ id: 'a', publicKey: a }] };
    expect(() => new MemoryLedger(g, { maxBlockTxs: 0 })).toThrow(/"options.maxBlockTxs"/);
    expect(() => new MemoryLedger(g, { now: 5 as never })).toThrow(/"options.now"/);
  });
});

describe('PermissionContract without a ledger', () => {
  it("replays a ledger's transactions to the same state; rejects bad ones with the same reasons", async () => {
    const w = await world();
    const r = await publish(w, 1);
    await w.ledger.submit(tx(w.patient, 'grantAccess', { recordId: r.recordId, grantee: { requester: w.doctor.id } }));
    w.ledger.seal();
    const contract = new PermissionContract(w.ledger.genesis);
    for (const b of w.ledger.blocks) {
      for (const e of b.entries) await contract.execute(e.tx, Date.parse(e.time));
    }
    expect(contract.getPermissions(r.recordId)).toEqual(await w.ledger.getPermissions(r.recordId));
    expect(contract.getAuditLog(w.patient.id)).toEqual(await w.ledger.getAuditLog(w.patient.id));
    const t = tx(w.doctor, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT' });
    const res = await contract.execute(t, Date.UTC(2026, 10, 24, 21));
    expect(res.decision?.granted).toBe(true);
    expect(await reason(contract.execute(t, Date.UTC(2026, 10, 24, 21)))).toBe('REPLAYED_NONCE');
    expect(await reason(contract.execute({ ...t, sig: t.sig.replace(/^./, t.sig[0] === 'A' ? 'B' : 'A') }, 0))).toBe(
      'BAD_SIGNATURE',
    );
    expect(await reason(contract.execute({ ...t, v: 2 } as never, 0))).toBe('MALFORMED_TRANSACTION');
  });
});

describe('transaction parsing', () => {
  it('random JSON text is rejected with a typed error, never crashes', () => {
    const k = generateSigningKey();
    const t = serializeTransaction(
      createTransaction(
        'c',
        'p',
        'registerPatient',
        patientBody({ id: 'p', key: k }, { id: 'h', key: k }, 'c'),
        k.secretKey,
      ),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc.nat(t.length).map((i) => t.slice(0, i) + t.slice(i + 1)),
        ),
        (s) => {
          // Refused with InvalidEncodingError, or parsed to a transaction that serializes to
          // exactly the same text (JCS: one text per transaction).
          let parsed: ReturnType<typeof parseTransaction>;
          try {
            parsed = parseTransaction(s);
          } catch (e) {
            expect(e).toBeInstanceOf(BpdsError);
            expect(e).toBeInstanceOf(InvalidEncodingError);
            return;
          }
          expect(serializeTransaction(parsed)).toBe(s);
        },
      ),
      { numRuns: runs(300) },
    );
    expect(() => parseTransaction(t.replace('"v":1', '"v":1,"v":1'))).toThrow(/duplicate member name/);
  });
});

describe('JSON Lines files', () => {
  it('edited JSON Lines never load into a different ledger and never crash (fuzz)', async () => {
    const w = await world();
    const r = await publish(w, 1);
    await w.ledger.submit(tx(w.patient, 'grantAccess', { recordId: r.recordId, grantee: { policy: 'role:doctor' } }));
    const text = w.ledger.toJsonLines();
    const head = w.ledger.head;
    await fc.assert(
      fc.asyncProperty(fc.nat(text.length - 1), fc.nat(3), fc.string({ maxLength: 2 }), async (i, del, ins) => {
        const t = text.slice(0, i) + ins + text.slice(i + del);
        const out = await MemoryLedger.fromJsonLines(t).then(
          (l) => l,
          (e: unknown) => e,
        );
        if (out instanceof MemoryLedger) expect(out.head).toBe(head);
        else expect(out).toBeInstanceOf(BpdsError);
      }),
      { numRuns: runs(60) },
    );
    for (const t of [
      '',
      'null\n',
      '{"genesis":null}\n',
      `${text.split('\n')[0]}\nnull\n`,
      `${text.split('\n')[0]}\n{"header":null,"entries":[]}\n`,
    ]) {
      expect(
        await MemoryLedger.fromJsonLines(t).then(
          () => 'loaded',
          (e: unknown) => e instanceof BpdsError,
        ),
      ).toBe(true);
    }
  });

  it('saves and loads a ledger file; a modified file is refused', async () => {
    const w = await world();
    await publish(w, 1);
    const dir = mkdtempSync(join(tmpdir(), 'bpds-ledger-'));
    try {
      const path = join(dir, 'ledger.jsonl');
      const head = await saveLedgerFile(w.ledger, path);
      expect(readdirSync(dir)).toEqual(['ledger.jsonl']); // no temporary file left behind
      const again = await loadLedgerFile(path, { expectedHead: head });
      expect(again.head).toBe(head);
      expect(await again.listRecords(w.patient.id)).toEqual(await w.ledger.listRecords(w.patient.id));
      writeFileSync(path, readFileSync(path, 'utf8').replace('"locator":"blob:1"', '"locator":"blob:7"'));
      expect(await reason(loadLedgerFile(path))).toBe('TAMPERED_CHAIN');
    } finally {
      rmSync(dir, { recursive: true, force: true }); // issue 12, finding 9: no bpds-ledger-* left in /tmp
    }
    expect(existsSync(dir)).toBe(false);
  });
});
