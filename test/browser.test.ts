/**
 * The requester's side of BPDS (decrypt and verify) in a real browser: builds
 * web/ with Vite into a temporary folder, serves it from 127.0.0.1, drives Debian's
 * Chromium with playwright-core, asserts on what the page shows and saves a
 * screenshot under test-results/. Skips with a message when /usr/bin/chromium is
 * absent (.ci/run installs it with apt-get).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLedger } from '../src/chain/index.js';
import { init } from '../src/index.js';
import { generateSigningKey } from '../src/index-record/index.js';
import { toBase64url } from '../src/internal/bytes.js';
import { Authority, Hospital, MemoryBlobStore, Patient } from '../src/protocol/index.js';
import { type StaticServer, serveDirectory } from './static-server.js';

const CHROMIUM = process.env.BPDS_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`browser test skipped: ${CHROMIUM} not found (install Debian's chromium: apt-get install -y chromium)`);
}

const root = resolve(import.meta.dirname, '..');
describe.skipIf(!hasChromium)('browser (headless Chromium)', () => {
  let outDir: string;
  let server: StaticServer | undefined;
  let base: string;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'bpds-web-'));
    const { build } = await import('vite');
    await build({ configFile: join(root, 'web/vite.config.ts'), build: { outDir }, logLevel: 'warn' });
    await writeFile(join(outDir, 'fixture.json'), JSON.stringify(await scenario()));
    server = await serveDirectory(outDir);
    base = server.base;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('runs the requester flow and shows the verified record', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${base}/index.html`);
      await page.waitForFunction(() => document.getElementById('status')?.className !== 'running', undefined, {
        timeout: 60_000,
      });
      await mkdir(join(root, 'test-results'), { recursive: true });
      await page.screenshot({ path: join(root, 'test-results/browser-requester.png'), fullPage: true });
      const status = await page.textContent('#status');
      const steps = await page.locator('#steps li').allTextContents();
      const text = steps.join('\n');
      expect(errors).toEqual([]);
      expect(status, text).toBe('OK');
      expect(text).toContain('mcl-wasm (BN254) initialised in the browser');
      expect(text).toMatch(/ledger rebuilt from \d+ blocks and verified/);
      expect(text).toMatch(/cardiologist read record \S+: \d+ fields verified, signed by st-mary/);
      expect(text).toContain('insurer verified exactly the granted fields: code, effectiveDateTime, valueQuantity');
      expect(text).toContain('nurse from another department: refused at step "access" (NO_MATCHING_GRANT)');
      expect(text).toContain('tampered blob: refused at step "blob-integrity" (BLOB_CORRUPT)');
      expect(await page.textContent('#record')).toContain('Left ventricular Ejection fraction');
      const claim = JSON.parse((await page.textContent('#claim')) ?? 'null');
      expect(Object.keys(claim).sort()).toEqual(['code', 'effectiveDateTime', 'valueQuantity']);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

/** The Node side: a hospital publishes, the patient grants; the page gets the ledger, blobs and requester keys. */
async function scenario() {
  await init();
  const authority = Authority.create();
  const ledger = new MemoryLedger({ chainId: 'bpds-browser', authorities: [authority.genesis] });
  const store = new MemoryBlobStore();
  const hospital = new Hospital({ id: 'st-mary', ledger, store, publicKey: authority.publicKey });
  await authority.registerHospital(ledger, hospital.identity);
  const patient = new Patient({
    id: 'p-7f3a9c',
    ledger,
    store,
    publicKey: authority.publicKey,
    key: authority.issueKey({ id: 'p-7f3a9c' }),
  });
  await patient.register(hospital.attestPatient(patient.identity));
  const record = JSON.parse(await readFile(join(root, 'examples/data/cardiology-observation.json'), 'utf8'));
  const published = await hospital.publish({
    patient: patient.id,
    record,
    policy: 'dept:cardiology and (role:doctor or role:nurse)',
    rules: { never: ['/note'] },
  });
  const requesters: Record<string, { id: string; key: string; ledgerKey: string }> = {};
  for (const [who, id, attributes] of [
    ['cardiologist', 'dr-chen', ['dept:cardiology', 'role:doctor']],
    ['insurer', 'insurer-7', ['org:insurer']],
    ['nurse', 'nurse-ito', ['dept:oncology', 'role:nurse']],
  ] as const) {
    const k = generateSigningKey();
    const key = await authority.enroll(ledger, { id, attributes: [...attributes], publicKey: k.publicKey });
    requesters[who] = { id, key: toBase64url(key.toBytes()), ledgerKey: toBase64url(k.secretKey) };
  }
  await patient.grant({ recordId: published.recordId, to: { policy: 'dept:cardiology' }, purposes: ['TREAT'] });
  const grant = await patient.grant({
    recordId: published.recordId,
    to: { requester: 'insurer-7' },
    fields: ['/code', '/valueQuantity', '/effectiveDateTime'],
    purposes: ['HPAYMT'],
  });
  const presentation = grant.presentation as string;
  return {
    ledger: ledger.toJsonLines(),
    blobs: [toBase64url(await store.get(published.locator)), toBase64url(await store.get(presentation))],
    recordId: published.recordId,
    presentation,
    requesters,
  };
}
