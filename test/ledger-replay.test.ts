// Issue 12, finding 3: importing a corrupted ledger export rejects only the promise the caller
// holds, with a typed LedgerError; nothing rejects unobserved (test/setup-unhandled.ts fails the
// test on any unhandled rejection). Two transactions per block, so a corrupt second entry used to
// abandon the first entry's in-flight promise.
import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../src/chain/index.js';
import { BpdsError, LedgerError } from '../src/errors.js';
import { actor, CHAIN, makeRecord, patientBody, pk, tx } from './chain-fixture.js';
import { runs } from './helpers.js';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

async function exported(): Promise<{ text: string; head: string }> {
  const authority = actor('ministry');
  const hospital = actor('hospital-1');
  const patient = actor('patient-1');
  const doctor = actor('dr-1');
  const clock = { t: Date.UTC(2026, 10, 24) };
  const ledger = new MemoryLedger(
    { chainId: CHAIN, authorities: [{ id: authority.id, publicKey: pk(authority) }] },
    { now: () => clock.t, maxBlockTxs: 2 },
  );
  await ledger.submit(tx(authority, 'registerHospital', { id: hospital.id, publicKey: pk(hospital) }));
  await ledger.submit(tx(authority, 'registerRequester', { id: doctor.id, publicKey: pk(doctor), attributes: [] }));
  await ledger.submit(tx(patient, 'registerPatient', patientBody(patient, hospital)));
  const record = makeRecord(hospital, patient.id);
  await ledger.submit(tx(hospital, 'publishRecord', { record }));
  const g = await ledger.submit(
    tx(patient, 'grantAccess', { recordId: record.recordId, grantee: { requester: doctor.id } }),
  );
  await ledger.submit(tx(doctor, 'requestAccess', { recordId: record.recordId, purpose: 'TREAT' }));
  await ledger.submit(tx(patient, 'revokeAccess', { grantId: g.txId }));
  await ledger.submit(tx(doctor, 'requestAccess', { recordId: record.recordId, purpose: 'TREAT' }));
  const text = ledger.toJsonLines();
  expect(ledger.blocks.slice(1).every((b) => b.entries.length === 2)).toBe(true);
  return { text, head: ledger.head };
}

/**
 * Change the character at `i`: a base64url character to the one whose 6-bit value differs in
 * bit 2 (so the last character of a 64-byte value turns non-canonical: A -> E), anything else to
 * a neighbour.
 */
function flip(text: string, i: number): string {
  const c = text[i] as string;
  const k = B64URL.indexOf(c);
  const d = k >= 0 ? (B64URL[k ^ 4] as string) : c === '"' ? 'x' : String.fromCharCode(c.charCodeAt(0) ^ 1);
  return text.slice(0, i) + d + text.slice(i + 1);
}

describe('MemoryLedger.fromJsonLines on a corrupted export', () => {
  it('every one-character flip is refused with a LedgerError the caller catches, and nothing leaks', async () => {
    const { text, head } = await exported();
    const start = text.indexOf('\n', text.indexOf('\n') + 1) + 1; // after the genesis line and block 0
    let refused = 0;
    let loaded = 0;
    // Every fourth position, and every last character of a string value (where base64url
    // padding bits live); every position under `npm run fuzz`.
    const stride = runs(1) > 1 ? 1 : 4;
    for (let i = start; i < text.length; i++) {
      if (text[i] === '\n' || (i % stride !== 0 && text[i + 1] !== '"')) continue;
      let out: unknown;
      try {
        out = await MemoryLedger.fromJsonLines(flip(text, i));
      } catch (e) {
        out = e;
      }
      if (out instanceof MemoryLedger) {
        // A flip that still loads must give back exactly the same chain (e.g. none: every byte is hashed).
        expect(out.head, `position ${i}`).toBe(head);
        loaded++;
      } else {
        expect(out, `position ${i}: ${String(out)}`).toBeInstanceOf(LedgerError);
        expect((out as LedgerError).reason).toBe('TAMPERED_CHAIN');
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(stride === 1 ? 3000 : 1000);
    expect(loaded).toBe(0);
  });

  it('malformed lines, blocks and genesis are LedgerErrors too', async () => {
    const { text } = await exported();
    const [genesis, block0, block1] = text.split('\n');
    for (const t of [
      '',
      'null\n',
      '{"genesis":null}\n',
      '{"genesis":{"chainId":""}}\n',
      `${genesis}\nnot json\n`,
      `${genesis}\n${block0}\n${(block1 as string).replace('"entries":[', '"entries":[null,')}\n`,
    ]) {
      const e = await MemoryLedger.fromJsonLines(t).then(
        () => 'loaded',
        (x: unknown) => x,
      );
      expect(e, t.slice(0, 60)).toBeInstanceOf(LedgerError);
      expect(e).toBeInstanceOf(BpdsError);
    }
  });
});
