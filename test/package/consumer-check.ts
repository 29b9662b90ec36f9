/**
 * The package as a user gets it (issue 13): `npm pack` the repository (the `prepack`
 * script builds dist/), install the tarball into a scratch project OUTSIDE the
 * repository (offline from the npm cache), and there run
 *
 * 1. an ES module script and a CommonJS script (`require`, one module state with `import`),
 * 2. a strict TypeScript check without `skipLibCheck` of public types through subpaths
 *    and through the root namespaces,
 * 3. browser bundles of a page calling `init`, CP-ABE and CES, built with esbuild and
 *    with Vite, each run in headless Chromium (playwright-core) and Firefox ESR
 *    (puppeteer-core over WebDriver BiDi), served from http://127.0.0.1; the page text
 *    is asserted and any console error fails the check,
 * 4. the `bpds` command from the tarball's `bin` (`npx bpds --help`, then setup, keygen,
 *    encrypt, decrypt, inspect through files, and a refused key exiting 1 with no output).
 *
 * Run: `npx tsx test/package/consumer-check.ts` (.ci/run does, after `npm test`).
 * `BPDS_TARBALL=path.tgz` reuses a packed tarball; `BPDS_KEEP=1` keeps the scratch folder.
 * Exits non-zero on the first failure.
 *
 * To extend: a subpath added to package.json "exports" is imported and required by the
 * scripts automatically; one whose optional peer dependency is not installed in the
 * scratch project is listed in NEEDS_PEER below, with the peer.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const fixtures = join(repo, 'test/package/consumer');

/** Subpaths whose optional peer dependency the scratch project does not install. */
const NEEDS_PEER: Record<string, string> = {
  './evm': 'viem',
  './s3': '@aws-sdk/client-s3',
};

const CHROMIUM = process.env.BPDS_CHROMIUM ?? '/usr/bin/chromium';
const FIREFOX = process.env.BPDS_FIREFOX ?? '/usr/bin/firefox-esr';
const EXPECTED = 'bpds ok: cpabe=EMR ces={"resourceType":"Observation","status":"final"}';

const log = (s: string) => console.log(`[consumer] ${s}`);

async function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 64 << 20,
    });
    return stdout;
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}\n${x.stdout ?? ''}${x.stderr ?? x.message}`);
  }
}

async function pack(): Promise<string> {
  if (process.env.BPDS_TARBALL) return resolve(process.env.BPDS_TARBALL);
  const dest = await mkdtemp(join(tmpdir(), 'bpds-pack-'));
  const out = await sh('npm', ['pack', '--json', '--pack-destination', dest], repo);
  // the prepack build logs first (with ANSI colour codes, which contain '['): the JSON is the
  // array that starts on a line of its own
  const start = /^\[\s*$/m.exec(out);
  if (start === null) throw new Error(`npm pack printed no JSON:\n${out}`);
  const info = JSON.parse(out.slice(start.index)) as { filename: string; size: number; entryCount: number }[];
  const first = info[0];
  if (first === undefined) throw new Error('npm pack printed no tarball');
  const files = (info[0] as unknown as { files: { path: string }[] }).files.map((f) => f.path);
  for (const need of ['dist/index.js', 'dist/cpabe.js', 'dist/types/index.d.ts', 'package.json', 'README.md']) {
    if (!files.includes(need)) throw new Error(`the tarball lacks ${need}`);
  }
  log(`packed ${first.filename}: ${(first.size / 1024).toFixed(0)} KiB, ${first.entryCount} files`);
  return join(dest, first.filename);
}

function subpaths(): string[] {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  return Object.keys(pkg.exports)
    .filter((s) => s !== './package.json' && NEEDS_PEER[s] === undefined)
    .map((s) => (s === '.' ? 'bpds' : `bpds/${s.slice(2)}`));
}

async function scratchProject(tarball: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bpds-consumer-'));
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'bpds-consumer', private: true, type: 'module' }, null, 2),
  );
  await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], dir);
  for (const f of ['esm.mjs', 'cjs.cjs', 'types.ts', 'page.ts']) await copyFile(join(fixtures, f), join(dir, f));
  log(`installed into ${dir}`);
  return dir;
}

async function nodeScripts(dir: string): Promise<void> {
  const env = { BPDS_SUBPATHS: JSON.stringify(subpaths()) };
  for (const script of ['esm.mjs', 'cjs.cjs']) {
    const out = await sh(process.execPath, [script], dir, env);
    if (!out.includes(script.startsWith('esm') ? 'esm ok' : 'cjs ok')) throw new Error(`${script}: ${out}`);
    log(`${script}: ok`);
  }
}

/** The `bpds` bin from the installed tarball: help, and a CP-ABE round trip through files. */
async function cli(dir: string): Promise<void> {
  const help = await sh('npx', ['--no-install', 'bpds', '--help'], dir);
  for (const command of [
    'setup',
    'keygen',
    'encrypt',
    'decrypt',
    'can-decrypt',
    'inspect',
    'ces sign',
    'ledger verify',
  ]) {
    if (!help.includes(command)) throw new Error(`bpds --help does not list ${command}:\n${help}`);
  }
  const bpds = (...args: string[]) => sh('npx', ['--no-install', 'bpds', ...args], dir);
  await writeFile(join(dir, 'emr.txt'), 'EMR from the installed CLI\n');
  await bpds('setup', '--public', 'pk.txt', '--master', 'mk.txt');
  await bpds('keygen', '--master', 'mk.txt', '--out', 'doctor.txt', 'cardiology', 'doctor', 'age=42');
  await bpds('keygen', '--master', 'mk.txt', '--out', 'nurse.txt', 'oncology', 'nurse');
  const policy = 'cardiology and (doctor or nurse) and age >= 18';
  await bpds('encrypt', '--public', 'pk.txt', '--policy', policy, '--in', 'emr.txt', '--out', 'emr.ct');
  await bpds('decrypt', '--key', 'doctor.txt', '--in', 'emr.ct', '--out', 'emr.out');
  if ((await readFile(join(dir, 'emr.out'), 'utf8')) !== 'EMR from the installed CLI\n') {
    throw new Error('bpds decrypt: the plaintext differs');
  }
  const info = JSON.parse(await bpds('inspect', 'emr.ct')) as { kind?: string; policy?: string };
  if (info.kind !== 'cpabe ciphertext') throw new Error(`bpds inspect: ${JSON.stringify(info)}`);
  // a refused key: exit 1, the error code on stderr, no output file
  const refused = await run(
    'npx',
    ['--no-install', 'bpds', 'decrypt', '--key', 'nurse.txt', '--in', 'emr.ct', '--out', 'no.out'],
    {
      cwd: dir,
    },
  ).then(
    () => undefined,
    (e: { code?: number; stderr?: string }) => e,
  );
  if (refused?.code !== 1 || !refused.stderr?.includes('ERR_')) {
    throw new Error(
      `bpds decrypt with a refused key: expected exit 1 with an error code, got ${JSON.stringify(refused)}`,
    );
  }
  if (existsSync(join(dir, 'no.out'))) throw new Error('bpds decrypt left an output file after a refusal');
  log('cli (npx bpds from the tarball): --help, setup, keygen, encrypt, decrypt, inspect, refusal exit 1: ok');
}

async function typeCheck(dir: string): Promise<void> {
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022', 'DOM'],
        types: [],
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: false,
        noEmit: true,
      },
      files: ['types.ts', 'page.ts'],
    }),
  );
  await sh(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir);
  log('strict tsc (no skipLibCheck): ok');
}

const html = (script: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>bpds consumer</title></head>` +
  `<body><pre id="out">loading</pre><script type="module" src="${script}"></script></body></html>\n`;

async function bundles(dir: string): Promise<Record<string, string>> {
  const esbuild = await import('esbuild');
  const esOut = join(dir, 'out-esbuild');
  await mkdir(esOut, { recursive: true });
  const r = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: ['page.ts'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(esOut, 'page.js'),
    logLevel: 'silent',
  });
  if (r.errors.length > 0) throw new Error(`esbuild: ${JSON.stringify(r.errors)}`);
  await writeFile(join(esOut, 'index.html'), html('./page.js'));
  log(`esbuild bundle: ok (${r.warnings.length} warnings)`);

  const vite = await import('vite');
  const viteRoot = join(dir, 'vite');
  await mkdir(viteRoot, { recursive: true });
  await copyFile(join(dir, 'page.ts'), join(viteRoot, 'page.ts'));
  await writeFile(join(viteRoot, 'index.html'), html('./page.ts'));
  const viteOut = join(dir, 'out-vite');
  await vite.build({
    root: viteRoot,
    configFile: false,
    base: './',
    logLevel: 'warn',
    build: { outDir: viteOut, target: 'es2022', minify: false, reportCompressedSize: false, emptyOutDir: true },
  });
  log('vite bundle: ok');
  return { esbuild: esOut, vite: viteOut };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
};

async function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = join(root, normalize(decodeURIComponent(path === '/' ? '/index.html' : path)));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

interface BrowserRun {
  text: string;
  errors: string[];
}

async function inChromium(url: string): Promise<BrowserRun> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('out')?.textContent !== 'loading', null, {
      timeout: 120_000,
    });
    return { text: (await page.textContent('#out')) ?? '', errors };
  } finally {
    await browser.close();
  }
}

async function inFirefox(url: string): Promise<BrowserRun> {
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('out')?.textContent !== 'loading', { timeout: 120_000 });
    return { text: await page.$eval('#out', (e) => e.textContent ?? ''), errors };
  } finally {
    await browser.close();
  }
}

async function browsers(outs: Record<string, string>): Promise<void> {
  const drivers: [string, string, (url: string) => Promise<BrowserRun>][] = [
    ['chromium', CHROMIUM, inChromium],
    ['firefox-esr', FIREFOX, inFirefox],
  ];
  for (const [name, exe, drive] of drivers) {
    if (!existsSync(exe)) throw new Error(`${exe} not found: install Debian's ${name} (.ci/run does)`);
    for (const [bundler, root] of Object.entries(outs)) {
      const { server, url } = await serve(root);
      try {
        const r = await drive(url);
        if (r.text !== EXPECTED) throw new Error(`${bundler} in ${name}: page says ${JSON.stringify(r.text)}`);
        if (r.errors.length > 0) throw new Error(`${bundler} in ${name}: console errors ${JSON.stringify(r.errors)}`);
        log(`${bundler} bundle in ${name}: ${r.text}`);
      } finally {
        server.close();
      }
    }
  }
}

async function main(): Promise<void> {
  const tarball = await pack();
  const dir = await scratchProject(tarball);
  try {
    await nodeScripts(dir);
    await cli(dir);
    await typeCheck(dir);
    await browsers(await bundles(dir));
    log('all consumer checks passed');
  } finally {
    if (process.env.BPDS_KEEP) log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`[consumer] FAILED: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
