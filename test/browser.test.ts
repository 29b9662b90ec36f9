/**
 * The requester's side of BPDS (decrypt and verify) in a real browser: builds
 * web/ with Vite into a temporary folder, serves it from 127.0.0.1, drives Debian's
 * Chromium with playwright-core, asserts on what the page shows and saves a
 * screenshot under test-results/. Skips with a message when /usr/bin/chromium is
 * absent (.ci/run installs it with apt-get).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.BPDS_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`browser test skipped: ${CHROMIUM} not found (install Debian's chromium: apt-get install -y chromium)`);
}

const root = resolve(import.meta.dirname, '..');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

describe.skipIf(!hasChromium)('browser (headless Chromium)', () => {
  let outDir: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'bpds-web-'));
    const { build } = await import('vite');
    await build({ configFile: join(root, 'web/vite.config.ts'), build: { outDir }, logLevel: 'warn' });
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const rel = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
      const file = join(outDir, rel);
      if (!file.startsWith(outDir)) {
        res.writeHead(403).end();
        return;
      }
      readFile(file).then(
        (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
        () => res.writeHead(404).end('not found'),
      );
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
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
      expect(errors).toEqual([]);
      expect(status).toBe('OK');
      expect(steps.join('\n')).toContain('pairing bilinear: true');
    } finally {
      await browser.close();
    }
  }, 120_000);
});
