/**
 * bpds/workers in a real browser: builds web/workers.html with Vite (the pool's
 * `new Worker(new URL('./worker.js', import.meta.url))` bundled as a module worker),
 * serves it from 127.0.0.1, drives Debian's Chromium with playwright-core, and reads
 * what the page compared against the synchronous API. Skips with a message when
 * /usr/bin/chromium is absent (.ci/run installs it).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, serveDirectory } from './static-server.js';

const CHROMIUM = process.env.BPDS_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser worker test skipped: ${CHROMIUM} not found`);

const root = resolve(import.meta.dirname, '..');
describe.skipIf(!hasChromium)('bpds/workers in headless Chromium (Web Workers)', () => {
  let outDir: string;
  let server: StaticServer | undefined;
  let base: string;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'bpds-web-workers-'));
    const { build } = await import('vite');
    await build({
      configFile: join(root, 'web/vite.config.ts'),
      build: { outDir, rollupOptions: { input: join(root, 'web/workers.html') } },
      // module workers: the worker bundle loads mcl-wasm with a dynamic import
      worker: { format: 'es' },
      logLevel: 'warn',
    });
    server = await serveDirectory(outDir);
    base = server.base;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('runs the pool in Web Workers with the synchronous results and errors', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      let workers = 0;
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('worker', () => {
        workers++;
      });
      await page.goto(`${base}/workers.html`);
      await page.waitForFunction(() => document.getElementById('status')?.className !== 'running', undefined, {
        timeout: 90_000,
      });
      const text = (await page.locator('#steps li').allTextContents()).join('\n');
      expect(errors).toEqual([]);
      expect(await page.textContent('#status'), text).toBe('OK');
      expect(workers).toBeGreaterThanOrEqual(2);
      expect(text).toContain('pool of 2 Web Workers ready (Node process: undefined)');
      expect(text).toMatch(/decrypt: identical to the synchronous API \(\d+ bytes\), Miller loops shared: 1/);
      expect(text).toContain('tampered: DecryptionError ERR_DECRYPTION_FAILED decryption failed');
      expect(text).toContain('bulk: 6 records round-trip');
      expect(text).toMatch(/closed: WorkerPoolError ERR_WORKER_POOL .*POOL_CLOSED/);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
