/**
 * The requester's side of BPDS in a browser: load the WebAssembly pairing backend
 * (mcl-wasm's browser-compatible build, bundled by Vite), rebuild the consortium
 * ledger from its JSON Lines export (every block re-verified), then ask for
 * access, fetch, check, decrypt and verify exactly as a clinician's or an
 * insurer's web app would. The scenario (published record, grants, keys) comes
 * from `fixture.json`, written by test/browser.test.ts.
 */
import { MemoryLedger } from '../src/chain/index.js';
import { SecretKey } from '../src/cpabe/index.js';
import { init } from '../src/index.js';
import { fromBase64url } from '../src/internal/bytes.js';
import { type BlobStore, MemoryBlobStore, ProtocolError, Requester } from '../src/protocol/index.js';

/** What the test hands the page. Test keys only. */
interface Fixture {
  ledger: string;
  blobs: string[];
  recordId: string;
  presentation: string;
  requesters: Record<'cardiologist' | 'insurer' | 'nurse', { id: string; key: string; ledgerKey: string }>;
}

const status = document.getElementById('status') as HTMLElement;
const steps = document.getElementById('steps') as HTMLElement;
let failures = 0;

function line(text: string, cls: 'pass' | 'refused' | 'fail'): void {
  const li = document.createElement('li');
  li.className = cls;
  li.textContent = text;
  steps.append(li);
  if (cls === 'fail') failures++;
}

function expectOk(ok: boolean, text: string): void {
  line(ok ? text : `UNEXPECTED: ${text}`, ok ? 'pass' : 'fail');
}

async function expectRefusal(p: Promise<unknown>, step: string, what: string): Promise<void> {
  try {
    await p;
    line(`UNEXPECTED: ${what} was not refused`, 'fail');
  } catch (e) {
    if (e instanceof ProtocolError && e.step === step)
      line(`${what}: refused at step "${e.step}" (${e.reason})`, 'refused');
    else line(`UNEXPECTED: ${what}: ${e instanceof Error ? e.message : String(e)}`, 'fail');
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  await init();
  line('mcl-wasm (BN254) initialised in the browser', 'pass');

  const res = await fetch('./fixture.json');
  if (!res.ok) throw new Error('no fixture.json next to the page (test/browser.test.ts writes it)');
  const fx = (await res.json()) as Fixture;

  const ledger = await MemoryLedger.fromJsonLines(fx.ledger);
  expectOk(ledger.verifyChain().ok, `ledger rebuilt from ${ledger.blocks.length} blocks and verified`);
  const store = new MemoryBlobStore();
  for (const b of fx.blobs) await store.put(fromBase64url(b));

  const requester = (who: keyof Fixture['requesters'], s: BlobStore = store) =>
    new Requester({
      id: fx.requesters[who].id,
      ledger,
      store: s,
      key: SecretKey.fromBytes(fromBase64url(fx.requesters[who].key)),
      secretKey: fromBase64url(fx.requesters[who].ledgerKey),
    });

  // 1. The cardiologist: request, fetch, digest check, CP-ABE decrypt, CES verify.
  const { record, report } = await requester('cardiologist').access({ recordId: fx.recordId, purpose: 'TREAT' });
  expectOk(
    report.source === 'record' && report.signedBy.hospital === 'st-mary',
    `cardiologist read record ${report.recordId}: ${report.disclosedFields.length} fields verified, signed by ${report.signedBy.hospital}`,
  );
  (document.getElementById('record') as HTMLElement).textContent = JSON.stringify(record, null, 2);
  (document.getElementById('report') as HTMLElement).textContent = JSON.stringify(report, null, 2);

  // 2. The insurer: three granted fields from the patient's presentation.
  const claim = await requester('insurer').access({
    recordId: fx.recordId,
    purpose: 'HPAYMT',
    presentation: fx.presentation,
  });
  const keys = Object.keys(claim.record as object).sort();
  expectOk(
    keys.join(',') === 'code,effectiveDateTime,valueQuantity',
    `insurer verified exactly the granted fields: ${keys.join(', ')}`,
  );
  (document.getElementById('claim') as HTMLElement).textContent = JSON.stringify(claim.record, null, 2);

  // 3. Refusals.
  await expectRefusal(
    requester('nurse').access({ recordId: fx.recordId, purpose: 'TREAT' }),
    'access',
    'nurse from another department',
  );
  const tampered = new MemoryBlobStore();
  for (const b of fx.blobs) await tampered.put(fromBase64url(b));
  const [rec] = await ledger.listRecords(report.patient);
  tampered.tamper(rec?.locator ?? '', (b) => {
    b[b.length - 1] = (b[b.length - 1] as number) ^ 1;
    return b;
  });
  await expectRefusal(
    requester('cardiologist', tampered).access({ recordId: fx.recordId, purpose: 'TREAT' }),
    'blob-integrity',
    'tampered blob',
  );

  const ms = Math.round(performance.now() - t0);
  status.textContent = failures === 0 ? 'OK' : `FAILED (${failures})`;
  status.className = failures === 0 ? 'ok' : 'fail';
  (document.getElementById('timing') as HTMLElement).textContent = `${ms} ms in total`;
}

main().catch((e: unknown) => {
  line(`crashed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, 'fail');
  status.textContent = 'FAILED';
  status.className = 'fail';
});
