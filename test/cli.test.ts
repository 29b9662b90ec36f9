/**
 * The `bpds` command, run as a subprocess (src/cli/bin.ts bundled once with esbuild into
 * .tmp/, so each run is a plain `node` start): every command's help, the CP-ABE flow for
 * every scheme, CES, index records, ledgers, exit statuses, and that a failed command
 * leaves no output file behind.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// every case starts several node processes: generous limits for a loaded machine
vi.setConfig({ testTimeout: 240_000 });

import { serializeRecord } from '../src/index-record/index.js';
import { pk, publish, world } from './chain-fixture.js';
import { runs } from './helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.tmp', `cli-${process.pid}`);
const bin = join(outDir, 'bpds.mjs');
let work: string;

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(root, 'src/cli/bin.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bin,
    external: ['mcl-wasm', '@noble/*'],
    define: { __BPDS_VERSION__: '"0.0.0-test"' },
    logLevel: 'silent',
  });
  work = mkdtempSync(join(tmpdir(), 'bpds-cli-'));
});

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  out: Buffer;
}

function bpds(args: readonly string[], input?: string | Uint8Array, cwd = work): Run {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, input, maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), out: r.stdout };
}

function ok(args: readonly string[], input?: string | Uint8Array, cwd?: string): Run {
  const r = bpds(args, input, cwd);
  if (r.status !== 0) throw new Error(`bpds ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

/** Files in a directory, temporaries included. */
const listing = (dir: string): string[] => readdirSync(dir).sort();

const COMMANDS = [
  'setup',
  'keygen',
  'encrypt',
  'decrypt',
  'can-decrypt',
  'inspect',
  'ces keygen',
  'ces sign',
  'ces extract',
  'ces verify',
  'record verify',
  'ledger verify',
];

describe('usage', () => {
  it.each(COMMANDS)('bpds %s --help prints its usage and exits 0', (name) => {
    const r = ok([...name.split(' '), '--help']);
    expect(r.stdout).toContain(`usage: bpds ${name} `);
    expect(r.stdout).toContain('--help');
  });

  it('bpds --help lists every command; no arguments is a usage error', () => {
    const r = ok(['--help']);
    for (const name of COMMANDS) expect(r.stdout).toContain(`  ${name} `);
    expect(bpds([]).status).toBe(2);
    expect(ok(['--version']).stdout.trim()).toBe('0.0.0-test');
  });

  it.each([
    [['frobnicate'], 'unknown command'],
    [['ces', 'frobnicate'], 'unknown command'],
    [['setup', '--public', 'a'], '--master is required'],
    [['setup', '--public', 'a', '--master', 'b', '--colour', 'red'], 'unknown option --colour'],
    [['setup', '--public'], '--public needs a value'],
    [['setup', '--public', 'a', '--master', 'b', '--scheme', 'rsa'], '--scheme must be one of'],
    [['keygen', '--master', 'mk', '--out', 'sk'], 'missing ATTR'],
    [['inspect', 'a', 'b'], 'unexpected argument'],
    [['ledger', 'verify'], 'missing FILE.jsonl'],
    [['decrypt', '--key', 'no-such-file'], 'cannot read no-such-file'],
  ])('bpds %j exits 2: %s', (args, message) => {
    const r = bpds(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('CP-ABE', () => {
  it.each(['fame', 'waters11', 'bsw07'])('%s: setup, keygen, encrypt, decrypt, can-decrypt, inspect', (scheme) => {
    const d = mkdtempSync(join(work, `${scheme}-`));
    ok(['setup', '--scheme', scheme, '--public', 'pk.txt', '--master', 'mk.txt'], undefined, d);
    expect(readFileSync(join(d, 'pk.txt'), 'utf8')).toMatch(/^-----BEGIN BPDS CPABE PUBLIC KEY-----\n/);
    ok(['keygen', '--master', 'mk.txt', '--out', 'doctor.txt', 'cardiology', 'doctor', 'level=3'], undefined, d);
    ok(['keygen', '--master', 'mk.txt', '--out', 'nurse.txt', 'cardiology', 'nurse', 'level=1'], undefined, d);
    const policy = 'cardiology and (doctor or nurse) and level >= 2';
    const ct = ok(['encrypt', '--public', 'pk.txt', '--policy', policy], 'EMR: 7.2 mmol/L', d).stdout;
    expect(ct).toMatch(/^-----BEGIN BPDS CPABE CIPHERTEXT-----\n/);
    writeFileSync(join(d, 'ct.txt'), ct);
    expect(ok(['decrypt', '--key', 'doctor.txt', '--in', 'ct.txt'], undefined, d).stdout).toBe('EMR: 7.2 mmol/L');
    expect(ok(['decrypt', '--key', 'doctor.txt'], ct, d).stdout).toBe('EMR: 7.2 mmol/L');
    expect(ok(['can-decrypt', '--key', 'doctor.txt', '--in', 'ct.txt'], undefined, d).stdout).toBe('yes\n');
    const no = bpds(['can-decrypt', '--key', 'nurse.txt', '--in', 'ct.txt'], undefined, d);
    expect([no.status, no.stdout]).toEqual([1, 'no\n']);

    // binary ciphertexts are read the same way
    ok(
      ['encrypt', '--public', 'pk.txt', '--policy', 'doctor', '--in', 'ct.txt', '--out', 'ct.bin', '--binary'],
      undefined,
      d,
    );
    expect(readFileSync(join(d, 'ct.bin')).subarray(0, 4).toString('latin1')).toBe('bpds');
    ok(['decrypt', '--key', 'doctor.txt', '--in', 'ct.bin', '--out', 'back.txt'], undefined, d);
    expect(readFileSync(join(d, 'back.txt'), 'utf8')).toBe(ct);

    const info = JSON.parse(ok(['inspect', 'ct.txt'], undefined, d).stdout);
    expect(info).toMatchObject({ kind: 'cpabe ciphertext', scheme, curve: 'bn254', policy, armored: true });
    expect(info.rows).toBeGreaterThan(3);
    const key = JSON.parse(ok(['inspect', 'doctor.txt'], undefined, d).stdout);
    expect(key).toMatchObject({ kind: 'cpabe secret key', scheme, attributes: ['cardiology', 'doctor', 'level = 3'] });
  });

  it('a refused decryption exits 1 with the code and writes no output file', () => {
    const d = mkdtempSync(join(work, 'refuse-'));
    ok(['setup', '--public', 'pk.txt', '--master', 'mk.txt'], undefined, d);
    ok(['keygen', '--master', 'mk.txt', '--out', 'nurse.txt', 'nurse'], undefined, d);
    ok(['encrypt', '--public', 'pk.txt', '--policy', 'doctor', '--out', 'ct.txt'], 'secret', d);
    const before = listing(d);
    const r = bpds(['decrypt', '--key', 'nurse.txt', '--in', 'ct.txt', '--out', 'pt.txt'], undefined, d);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ERR_POLICY_NOT_SATISFIED');
    expect(r.stdout).toBe('');
    expect(listing(d)).toEqual(before);
  });

  it('a tampered ciphertext exits 1 with one generic error and writes nothing', () => {
    const d = mkdtempSync(join(work, 'tamper-'));
    ok(['setup', '--public', 'pk.txt', '--master', 'mk.txt'], undefined, d);
    ok(['keygen', '--master', 'mk.txt', '--out', 'sk.txt', 'doctor'], undefined, d);
    ok(['encrypt', '--public', 'pk.txt', '--policy', 'doctor', '--out', 'ct.bin', '--binary'], 'secret record', d);
    const ct = readFileSync(join(d, 'ct.bin'));
    ct[ct.length - 3] = (ct[ct.length - 3] as number) ^ 1; // inside the AES-GCM payload
    writeFileSync(join(d, 'bad.bin'), ct);
    const before = listing(d);
    const r = bpds(['decrypt', '--key', 'sk.txt', '--in', 'bad.bin', '--out', 'pt.txt'], undefined, d);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^bpds: ERR_DECRYPTION_FAILED: /);
    expect(listing(d)).toEqual(before);
  });

  it('keys are written with mode 0600 and inspect never prints key material', () => {
    const d = mkdtempSync(join(work, 'secret-'));
    ok(['setup', '--public', 'pk.txt', '--master', 'mk.txt'], undefined, d);
    const body = readFileSync(join(d, 'mk.txt'), 'utf8').split('\n').slice(1, -2).join('');
    const shown = ok(['inspect', 'mk.txt'], undefined, d).stdout;
    expect(JSON.parse(shown)).toMatchObject({ kind: 'cpabe master key', scheme: 'fame' });
    for (let i = 0; i + 16 <= body.length; i += 16) expect(shown).not.toContain(body.slice(i, i + 16));
    expect(statSync(join(d, 'mk.txt')).mode & 0o777).toBe(0o600);
  });

  it('work longer than a moment reports progress on stderr', () => {
    const d = mkdtempSync(join(work, 'progress-'));
    ok(['setup', '--scheme', 'waters11', '--public', 'pk.txt', '--master', 'mk.txt'], undefined, d);
    const attrs = Array.from({ length: 80 }, (_, i) => `a${i}`);
    const r = ok(['keygen', '--master', 'mk.txt', '--out', 'sk.txt', ...attrs], undefined, d);
    expect(r.stderr).toMatch(/keygen for 80 attributes\.\.\.\n.*done in \d+\.\d s/);
  });

  it('garbage in any input slot exits 1 or 2, never an internal error, never an output file', () => {
    const d = mkdtempSync(join(work, 'fuzz-'));
    ok(['setup', '--public', 'pk.txt', '--master', 'mk.txt'], undefined, d);
    ok(['keygen', '--master', 'mk.txt', '--out', 'sk.txt', 'doctor'], undefined, d);
    ok(['encrypt', '--public', 'pk.txt', '--policy', 'doctor', '--out', 'ct.txt'], 'x', d);
    const ct = readFileSync(join(d, 'ct.txt'));
    const before = listing(d);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.tuple(fc.nat(ct.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
            const b = Uint8Array.from(ct);
            b[i] = (b[i] as number) ^ x;
            return b;
          }),
        ),
        fc.constantFrom('decrypt', 'inspect', 'can-decrypt', 'keygen'),
        (bytes, cmd) => {
          writeFileSync(join(d, 'in.bin'), bytes);
          const args =
            cmd === 'decrypt'
              ? ['decrypt', '--key', 'sk.txt', '--in', 'in.bin', '--out', 'out.bin']
              : cmd === 'inspect'
                ? ['inspect', 'in.bin']
                : cmd === 'can-decrypt'
                  ? ['can-decrypt', '--key', 'in.bin', '--in', 'ct.txt']
                  : ['keygen', '--master', 'in.bin', '--out', 'out.bin', 'x'];
          const r = bpds(args, undefined, d);
          // inspect only decodes: a change inside the AES-GCM payload still describes a ciphertext
          expect(cmd === 'inspect' ? [0, 1] : [1, 2]).toContain(r.status);
          expect(r.stderr).not.toContain('internal error');
          if (r.status !== 0) expect(r.stderr).toMatch(/^bpds: (ERR_[A-Z_]+: |)/);
          expect(listing(d)).toEqual([...before, 'in.bin'].sort());
        },
      ),
      { numRuns: runs(10) },
    );
  });
});

describe('content extraction signatures', () => {
  const observation = {
    resourceType: 'Observation',
    status: 'final',
    code: { text: 'glucose' },
    valueQuantity: { value: 7.2, unit: 'mmol/L' },
    note: [{ text: 'patient anxious' }],
  };

  it.each(['commit-vector', 'hash-tree', 'aggregate'])('%s: keygen, sign, extract, verify', (scheme) => {
    const d = mkdtempSync(join(work, `ces-${scheme}-`));
    const alg = scheme === 'aggregate' ? 'bls-bn254' : 'ed25519';
    const vk = ok(['ces', 'keygen', '--alg', alg, '--out', 'sk.txt'], undefined, d).stdout;
    expect(vk).toMatch(/^-----BEGIN BPDS CES VERIFY KEY-----\n/);
    writeFileSync(join(d, 'vk.txt'), vk);
    const secretBody = readFileSync(join(d, 'sk.txt'), 'utf8').split('\n').slice(1, -2).join('');
    const shownKey = ok(['inspect', 'sk.txt'], undefined, d).stdout;
    expect(JSON.parse(shownKey)).toEqual({ armored: true, kind: 'ces signing key', algorithm: alg });
    expect(shownKey).not.toContain(secretBody.slice(4, 20));
    expect(JSON.parse(ok(['inspect', 'vk.txt'], undefined, d).stdout)).toMatchObject({
      kind: 'ces verify key',
      algorithm: alg,
    });
    writeFileSync(join(d, 'obs.json'), JSON.stringify(observation));
    writeFileSync(join(d, 'rules.json'), JSON.stringify({ mandatory: ['/resourceType', '/status'], never: ['/note'] }));
    ok(
      [
        'ces',
        'sign',
        '--key',
        'sk.txt',
        '--scheme',
        scheme,
        '--rules',
        'rules.json',
        '--in',
        'obs.json',
        '--out',
        'signed.json',
      ],
      undefined,
      d,
    );
    ok(
      [
        'ces',
        'extract',
        '--signed',
        'signed.json',
        '--in',
        'obs.json',
        '--select',
        '/resourceType',
        '--select',
        '/status',
        '--select',
        '/valueQuantity',
        '--out',
        'p.json',
      ],
      undefined,
      d,
    );
    const disclosed = JSON.parse(ok(['ces', 'verify', '--public', 'vk.txt', '--in', 'p.json'], undefined, d).stdout);
    expect(disclosed).toEqual({
      resourceType: 'Observation',
      status: 'final',
      valueQuantity: { value: 7.2, unit: 'mmol/L' },
    });
    expect(JSON.parse(ok(['inspect', 'p.json'], undefined, d).stdout)).toMatchObject({
      kind: 'ces presentation',
      scheme,
    });

    const forbidden = bpds(
      ['ces', 'extract', '--signed', 'signed.json', '--in', 'obs.json', '--select', '/note'],
      undefined,
      d,
    );
    expect(forbidden.status).toBe(1);
    expect(forbidden.stderr).toContain('ERR_EXTRACTION_NOT_ALLOWED');

    const other = ok(['ces', 'keygen', '--alg', alg, '--out', 'sk2.txt', '--public', 'vk2.txt'], undefined, d);
    expect(other.stdout).toBe('');
    const wrong = bpds(['ces', 'verify', '--public', 'vk2.txt', '--in', 'p.json', '--out', 'shown.json'], undefined, d);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('ERR_VERIFICATION_FAILED');
    expect(listing(d)).not.toContain('shown.json');
  });

  it('a presentation with a changed byte is refused, and holder binding works', () => {
    const d = mkdtempSync(join(work, 'ces-tamper-'));
    writeFileSync(join(d, 'vk.txt'), ok(['ces', 'keygen', '--out', 'sk.txt'], undefined, d).stdout);
    ok(['ces', 'keygen', '--alg', 'p256', '--out', 'holder.txt', '--public', 'holder-vk.txt'], undefined, d);
    const record = JSON.stringify(observation);
    ok(['ces', 'sign', '--key', 'sk.txt', '--holder', 'holder-vk.txt', '--out', 'signed.json'], record, d);
    const args = ['ces', 'extract', '--signed', 'signed.json', '--select', '/valueQuantity', '--out', 'p.json'];
    // without the holder's signature the presentation is made but never verifies
    ok([...args.slice(0, -1), 'unbound.json'], record, d);
    const unbound = [
      'ces',
      'verify',
      '--public',
      'vk.txt',
      '--in',
      'unbound.json',
      '--audience',
      'insurer',
      '--nonce',
      'n-1',
    ];
    expect(bpds(unbound, undefined, d).status).toBe(1);
    ok([...args, '--holder', 'holder.txt', '--audience', 'insurer', '--nonce', 'n-1'], record, d);
    const verifyArgs = ['ces', 'verify', '--public', 'vk.txt', '--in', 'p.json'];
    expect(bpds(verifyArgs, undefined, d).status).toBe(1);
    expect(bpds([...verifyArgs, '--audience', 'insurer', '--nonce', 'n-2'], undefined, d).status).toBe(1);
    const shown = ok([...verifyArgs, '--audience', 'insurer', '--nonce', 'n-1'], undefined, d).stdout;
    expect(JSON.parse(shown)).toEqual({ valueQuantity: { value: 7.2, unit: 'mmol/L' } });

    const p = JSON.parse(readFileSync(join(d, 'p.json'), 'utf8')) as { data: string };
    const bytes = Buffer.from(p.data, 'base64url');
    let refused = 0;
    for (let i = 0; i < bytes.length; i += Math.max(1, Math.floor(bytes.length / 6))) {
      const b = Buffer.from(bytes);
      b[i] = (b[i] as number) ^ 0x40;
      writeFileSync(join(d, 'bad.json'), JSON.stringify({ ...p, data: b.toString('base64url') }));
      const r = bpds(
        ['ces', 'verify', '--public', 'vk.txt', '--in', 'bad.json', '--audience', 'insurer', '--nonce', 'n-1'],
        undefined,
        d,
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^bpds: ERR_(VERIFICATION_FAILED|INVALID_ENCODING): /);
      refused++;
    }
    expect(refused).toBeGreaterThanOrEqual(6);
  });
});

describe('index records and ledgers', () => {
  it('record verify accepts the hospital key and refuses another', async () => {
    const w = await world();
    const record = await publish(w, 1);
    const d = mkdtempSync(join(work, 'record-'));
    writeFileSync(join(d, 'record.json'), serializeRecord(record));
    const r = ok(['record', 'verify', '--public', pk(w.hospital), '--in', 'record.json'], undefined, d);
    expect(r.stdout).toContain(`ok ${record.recordId}`);
    // the one form of an identity public key: its base64url text, literally or in a file
    writeFileSync(join(d, 'hospital.pub'), `${pk(w.hospital)}\n`);
    ok(['record', 'verify', '--public', 'hospital.pub', '--in', 'record.json'], undefined, d);
    writeFileSync(join(d, 'raw.pub'), Buffer.from(pk(w.hospital), 'base64url'));
    const raw = bpds(['record', 'verify', '--public', 'raw.pub', '--in', 'record.json'], undefined, d);
    expect([raw.status, raw.stderr]).toEqual([2, expect.stringContaining('base64url text')]);
    const bad = bpds(['record', 'verify', '--public', pk(w.patient), '--in', 'record.json'], undefined, d);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('ERR_VERIFICATION_FAILED');
    expect(JSON.parse(ok(['inspect', 'record.json'], undefined, d).stdout)).toMatchObject({
      kind: 'index record',
      recordId: record.recordId,
    });
  });

  it('ledger verify replays an export and refuses a tampered one', async () => {
    const w = await world();
    await publish(w, 1);
    await publish(w, 2);
    const text = w.ledger.toJsonLines();
    const d = mkdtempSync(join(work, 'ledger-'));
    writeFileSync(join(d, 'ledger.jsonl'), text);
    const r = ok(['ledger', 'verify', 'ledger.jsonl'], undefined, d);
    expect(r.stdout).toMatch(/^ok height \d+ head \S+\n$/);
    const head = r.stdout.trim().split(' ').pop() as string;
    ok(['ledger', 'verify', 'ledger.jsonl', '--expected-head', head], undefined, d);
    const lines = text.split('\n');
    const i = lines.findIndex((l) => l.includes('"publishRecord"'));
    lines[i] = (lines[i] as string).replace('"publishRecord"', '"publishRecorx"');
    writeFileSync(join(d, 'bad.jsonl'), lines.join('\n'));
    const bad = bpds(['ledger', 'verify', 'bad.jsonl'], undefined, d);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^bpds: ERR_(LEDGER|INVALID_ENCODING): /);
  });
});
