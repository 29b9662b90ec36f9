/**
 * The native-peer bench mode without OpenABE: argument parsing, the typed "peer not built"
 * refusal (and its exit code), and the report tables. Running the peer needs an OpenABE build
 * and is a bench, not a test (bench/peers/openabe/README.md).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Stat } from '../bench/peers/openabe/alternate.js';
import { alternate, stat } from '../bench/peers/openabe/alternate.js';
import { parsePeerArgs, wantsPeer } from '../bench/peers/openabe/args.js';
import { compileArgs, locateOpenabe, PeerNotBuiltError } from '../bench/peers/openabe/locate.js';
import { runPeer } from '../bench/peers/openabe/run.js';
import { loadNote, peerMarkdown, primitivesTable, ratio, schemeTable } from '../bench/peers/openabe/table.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'bpds-peer-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe('peer arguments', () => {
  it('recognizes a peer run in either flag form', () => {
    expect(wantsPeer(['--peer', 'openabe'])).toBe(true);
    expect(wantsPeer(['--quick', '--peer=openabe'])).toBe(true);
    expect(wantsPeer(['--quick', '--suite', 'cpabe'])).toBe(false);
  });

  it('takes the tree from --openabe, --openabe-src, then OPENABE_DIR, then OPENABE_SRC', () => {
    expect(parsePeerArgs(['--peer', 'openabe', '--openabe', '/a'], { OPENABE_DIR: '/b' })).toEqual({
      peer: 'openabe',
      openabe: '/a',
      quick: false,
      out: 'bench/results/peer-openabe.md',
    });
    expect(parsePeerArgs(['--peer=openabe', '--openabe-src=/c'])).toMatchObject({ openabe: '/c' });
    expect(parsePeerArgs(['--peer', 'openabe'], { OPENABE_DIR: '/b', OPENABE_SRC: '/s' })).toMatchObject({
      openabe: '/b',
    });
    expect(parsePeerArgs(['--peer', 'openabe'], { OPENABE_SRC: '/s' })).toMatchObject({ openabe: '/s' });
    expect(parsePeerArgs(['--peer', 'openabe'], { OPENABE_DIR: '' })).toMatchObject({ openabe: null });
  });

  it('chooses the output file by mode and honours --out and --no-write', () => {
    expect(parsePeerArgs(['--peer', 'openabe', '--quick'])).toMatchObject({
      quick: true,
      out: 'bench/results/quick/peer-openabe.md',
    });
    expect(parsePeerArgs(['--peer', 'openabe', '--out', 'x.md'])).toMatchObject({ out: 'x.md' });
    expect(parsePeerArgs(['--peer', 'openabe', '--no-write'])).toMatchObject({ out: null });
    expect(parsePeerArgs(['--peer', 'openabe', '--help'])).toBe('help');
  });

  it('refuses unknown peers, unknown options and missing values', () => {
    expect(() => parsePeerArgs(['--peer', 'charm'])).toThrow(/unknown peer charm \(known: openabe\)/);
    expect(() => parsePeerArgs(['--peer'])).toThrow(/--peer needs a value/);
    expect(() => parsePeerArgs(['--peer', 'openabe', '--openabe'])).toThrow(/--openabe needs a value/);
    expect(() => parsePeerArgs(['--peer', 'openabe', '--out', '--quick'])).toThrow(/--out needs a value/);
    expect(() => parsePeerArgs(['--peer', 'openabe', '--suite', 'cpabe'])).toThrow(/unknown option --suite/);
  });
});

describe('peer not built', () => {
  it('names the missing option when no tree is given', () => {
    const err = (() => {
      try {
        locateOpenabe(null);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PeerNotBuiltError);
    expect((err as PeerNotBuiltError).code).toBe('BENCH_PEER_NOT_BUILT');
    expect((err as Error).message).toMatch(/--openabe DIR or set OPENABE_DIR/);
  });

  it('lists each header and library a partial tree lacks', () => {
    const d = tempDir();
    mkdirSync(join(d, 'root/include/openabe'), { recursive: true });
    writeFileSync(join(d, 'root/include/openabe/openabe.h'), '');
    mkdirSync(join(d, 'deps/root/lib'), { recursive: true });
    writeFileSync(join(d, 'deps/root/lib/librelic_s.a'), '');
    try {
      locateOpenabe(d);
      expect.unreachable('a partial tree was accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(PeerNotBuiltError);
      expect((e as PeerNotBuiltError).missing).toEqual([
        'relic/relic.h',
        'relic_ec/relic_conf.h',
        'libopenabe.a',
        'librelic_s_ec.a',
      ]);
    }
  });

  it('finds a complete tree (checkout layout) and builds the compile line from it', () => {
    const d = tempDir();
    for (const f of [
      'root/include/openabe/openabe.h',
      'deps/root/include/relic/relic.h',
      'deps/root/include/relic_ec/relic_conf.h',
      'root/lib/libopenabe.a',
      'deps/root/lib/librelic_s.a',
      'deps/root/lib/librelic_s_ec.a',
    ]) {
      mkdirSync(join(d, f, '..'), { recursive: true });
      writeFileSync(join(d, f), '');
    }
    writeFileSync(join(d, 'VERSION'), '1.0.0\n');
    const b = locateOpenabe(d);
    expect(b.version).toBe('1.0.0');
    expect(b.includeDirs).toEqual([join(d, 'root/include'), join(d, 'deps/root/include')]);
    const args = compileArgs(b, 'h.cpp', 'out');
    expect(args.slice(-7)).toEqual([
      join(d, 'root/lib/libopenabe.a'),
      join(d, 'deps/root/lib/librelic_s.a'),
      join(d, 'deps/root/lib/librelic_s_ec.a'),
      '-lgmp',
      '-lssl',
      '-lcrypto',
      '-lpthread',
    ]);
  });

  it('runPeer exits 3 with the typed message, and 2 on bad arguments', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((m: unknown) => {
      errors.push(String(m));
    });
    const d = tempDir();
    expect(await runPeer(['--peer', 'openabe', '--no-write'], { OPENABE_DIR: d })).toBe(3);
    expect(errors.join('\n')).toMatch(/OpenABE is not built in .*missing openabe\/openabe\.h/);
    expect(await runPeer(['--peer', 'nope'], {})).toBe(2);
  });
});

const st = (median: number): Stat => ({
  median,
  min: median * 0.9,
  max: median * 1.2,
  wallMedian: median * 1.01,
  samples: 7,
  batch: 1,
});

describe('peer tables', () => {
  const schemes = [
    { op: 'keygen', n: 10, openabe: st(1.12), fame: st(17.4), waters11: st(2.07) },
    { op: 'decrypt (CCA, 1 KiB)', n: 100, openabe: st(45), fame: st(40.6), waters11: st(156) },
  ];
  const prims = [{ op: 'G2 mul', relic: 0.097, mcl: 0.32 }];

  it('formats the scheme table with bpds / OpenABE ratios', () => {
    expect(schemeTable(schemes)).toBe(
      [
        '| op | N | OpenABE Waters11 | bpds FAME | bpds Waters11 | FAME / OpenABE | Waters11 / OpenABE |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        '| keygen | 10 | 1.12 | 17.4 | 2.07 | 15.54x | 1.85x |',
        '| decrypt (CCA, 1 KiB) | 100 | 45.0 | 40.6 | 156 | 0.90x | 3.47x |',
      ].join('\n'),
    );
  });

  it('formats the primitives table and guards the ratio', () => {
    expect(primitivesTable(prims)).toBe(
      [
        '| primitive | RELIC (OpenABE) | mcl-wasm (bpds) | mcl-wasm / RELIC |',
        '| --- | --- | --- | --- |',
        '| G2 mul | 0.0970 | 0.320 | 3.30x |',
      ].join('\n'),
    );
    expect(ratio(1, 0)).toBe('');
    expect(loadNote(1.5, 2, 2)).toBeNull();
    expect(loadNote(1.5, 17.4, 2)).toMatch(/load average 1.5 to 17.4 on 2 cores/);
    expect(ratio(1, -1)).toBe('');
  });

  it('reports machine, load and RELIC configuration with the tables', () => {
    const md = peerMarkdown({
      machine: {
        cpu: 'CPU X',
        cores: 2,
        memoryGiB: 24,
        platform: 'linux',
        node: 'v20',
        mclWasm: '2.4.1',
        bpds: '0.1.0',
        date: '2026-12-03T00:00:00.000Z',
        loadAverage: 1.5,
      },
      loadAverageEnd: 2.25,
      durationS: 61,
      quick: false,
      openabe: { version: '1.0.0', commit: 'abc' },
      relic: { relic: '0.5.0', arith: 'x64-asm-254', arch: 'X64', wsize: 64, fp_prime: 254 },
      schemes,
      primitives: prims,
      notes: ['a note'],
    });
    expect(md).toContain('load average 1.5 at the start, 2.25 at the end; 61 s.');
    expect(md).toContain('Peer: OpenABE 1.0.0 at abc, RELIC 0.5.0 (ARITH=x64-asm-254, ARCH=X64, WSIZE=64');
    expect(md).toContain(schemeTable(schemes));
    expect(md).toContain(primitivesTable(prims));
    expect(md).toContain('| keygen | 10 | 1.01–1.34 (7×1, wall 1.13)');
    expect(md).toContain('- a note');
  });
});

describe('alternation', () => {
  it('takes the same number of samples from each contender, turns rotating', async () => {
    const order: string[] = [];
    const c = (name: string) => ({
      name,
      sample: async (calls: number) => {
        order.push(name);
        return { cpu: 1 / calls, wall: 1 };
      },
    });
    const cfg = { warmupMs: 0, budgetMs: 1, minSamples: 3, maxSamples: 3, minSampleMs: 0 };
    const [a, b] = await alternate([c('a'), c('b')], cfg);
    expect(a!.samples).toBe(3);
    expect(b!.samples).toBe(3);
    // one warm-up call each, then a b | b a | a b
    expect(order).toEqual(['a', 'b', 'a', 'b', 'b', 'a', 'a', 'b']);
    expect(stat([3, 1, 2], [1, 1, 1], 2)).toEqual({ median: 2, min: 1, max: 3, wallMedian: 1, samples: 3, batch: 2 });
  });
});
