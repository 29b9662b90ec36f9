/**
 * Find an OpenABE build the user points at and compile our harness (harness.cpp) against it.
 * Nothing here builds or patches OpenABE itself: the tree must already hold OpenABE's and
 * RELIC's headers and static libraries (see README.md). What is missing is reported by a
 * typed error naming each missing piece, and the bench without the peer is unaffected.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The peer cannot run: no tree given, or the tree lacks a built OpenABE, or no C++ compiler. */
export class PeerNotBuiltError extends Error {
  readonly code = 'BENCH_PEER_NOT_BUILT';
  constructor(
    message: string,
    /** What is missing (files, tools), one item each. */
    readonly missing: readonly string[],
  ) {
    super(message);
    this.name = 'PeerNotBuiltError';
  }
}

/** Where a built OpenABE keeps what the harness links. */
export interface OpenabeBuild {
  root: string;
  includeDirs: string[];
  /** Static libraries, in link order. */
  libs: string[];
  /** OpenABE's VERSION file and the checkout's commit, when there. */
  version: string | null;
  commit: string | null;
}

const HEADERS = ['openabe/openabe.h', 'relic/relic.h', 'relic_ec/relic_conf.h'] as const;
const LIBS = ['libopenabe.a', 'librelic_s.a', 'librelic_s_ec.a'] as const;

/** Header and library folders of a built checkout (root/, deps/root/) or of an install prefix. */
function layouts(root: string): { include: string[]; lib: string[] } {
  return {
    include: [join(root, 'root/include'), join(root, 'deps/root/include'), join(root, 'include')],
    lib: [join(root, 'root/lib'), join(root, 'deps/root/lib'), join(root, 'lib')],
  };
}

const README = 'bench/peers/openabe/README.md';

/**
 * Check the tree and list what the harness needs from it.
 *
 * @throws PeerNotBuiltError when no tree is given, it does not exist, or headers/libraries are missing.
 */
export function locateOpenabe(dir: string | null): OpenabeBuild {
  if (dir === null) {
    throw new PeerNotBuiltError(
      `peer openabe: no OpenABE tree given: pass --openabe DIR or set OPENABE_DIR (see ${README})`,
      ['--openabe DIR'],
    );
  }
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new PeerNotBuiltError(`peer openabe: ${root} is not a directory (see ${README})`, [root]);
  }
  const { include, lib } = layouts(root);
  const missing: string[] = [];
  const includeDirs = new Set<string>();
  for (const h of HEADERS) {
    const d = include.find((i) => existsSync(join(i, h)));
    if (d === undefined) missing.push(h);
    else includeDirs.add(d);
  }
  const libs: string[] = [];
  for (const l of LIBS) {
    const d = lib.find((i) => existsSync(join(i, l)));
    if (d === undefined) missing.push(l);
    else libs.push(join(d, l));
  }
  if (missing.length > 0) {
    throw new PeerNotBuiltError(
      `peer openabe: OpenABE is not built in ${root}: missing ${missing.join(', ')} ` +
        `(looked in root/, deps/root/ and include/, lib/; build OpenABE first, see ${README})`,
      missing,
    );
  }
  const versionFile = join(root, 'VERSION');
  const version = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim() : null;
  let commit: string | null = null;
  if (existsSync(join(root, '.git'))) {
    const r = spawnSync('git', ['-C', root, 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' });
    if (r.status === 0) commit = r.stdout.trim();
  }
  return { root, includeDirs: [...includeDirs], libs, version, commit };
}

/** harness.cpp beside this file. */
export const HARNESS_SOURCE = fileURLToPath(new URL('./harness.cpp', import.meta.url));

/** The g++ command line that compiles the harness (exported for the test and the README). */
export function compileArgs(build: OpenabeBuild, source: string, output: string): string[] {
  return [
    '-O2',
    '-std=gnu++11',
    '-w',
    ...build.includeDirs.map((d) => `-I${d}`),
    source,
    '-o',
    output,
    ...build.libs,
    '-lgmp',
    '-lssl',
    '-lcrypto',
    '-lpthread',
  ];
}

/**
 * Compile the harness against `build` (cached in the OS temp folder by a hash of the source,
 * the tree and its libraries) and return the executable's path.
 *
 * @throws PeerNotBuiltError when g++ is missing or the compilation fails (its output included).
 */
export function compileHarness(build: OpenabeBuild, cxx = process.env.CXX ?? 'g++'): string {
  const source = readFileSync(HARNESS_SOURCE);
  const h = createHash('sha256').update(source).update(build.root);
  for (const l of build.libs) h.update(`${l}:${statSync(l).mtimeMs}`);
  const dir = join(tmpdir(), 'bpds-peer-openabe');
  const exe = join(dir, `harness-${h.digest('hex').slice(0, 16)}`);
  if (existsSync(exe)) return exe;
  const probe = spawnSync(cxx, ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new PeerNotBuiltError(`peer openabe: no C++ compiler (${cxx}) on PATH: install g++`, [cxx]);
  }
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync(cxx, compileArgs(build, HARNESS_SOURCE, exe), { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer };
    const out = err.stderr?.toString('utf8').split('\n').slice(0, 20).join('\n') ?? String(e);
    throw new PeerNotBuiltError(`peer openabe: the harness did not compile against ${build.root}:\n${out}`, [
      'a harness that links',
    ]);
  }
  return exe;
}
