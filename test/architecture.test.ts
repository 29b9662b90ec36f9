/**
 * The dependency rule of docs/architecture.md, checked on the source: only src/pairing
 * imports mcl-wasm, and the WASM-free modules (policy, index-record, chain, errors) never
 * reach src/pairing through any chain of imports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec === undefined) continue;
    // type-only imports vanish at runtime
    if (/^\s*(import|export)\s+type\s/.test(m[0])) continue;
    out.push(spec);
  }
  return out;
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return resolve(dirname(from), spec).replace(/\.js$/, '.ts');
}

function closure(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const f = stack.pop() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const spec of imports(f)) {
      const local = resolveLocal(f, spec);
      if (local !== undefined) stack.push(local);
      else seen.add(`pkg:${spec}`);
    }
  }
  return seen;
}

describe('dependency rule', () => {
  it('only src/pairing imports mcl-wasm', () => {
    const offenders = files(src)
      .filter((f) => !relative(src, f).startsWith('pairing'))
      .filter((f) => /['"]mcl-wasm/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it('only src/s3 imports @aws-sdk/client-s3 (an optional peer dependency)', () => {
    const offenders = files(src)
      .filter((f) => !relative(src, f).startsWith('s3'))
      .filter((f) => /['"]@aws-sdk\//.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
    expect(files(join(src, 's3')).some((f) => /['"]@aws-sdk\/client-s3/.test(readFileSync(f, 'utf8')))).toBe(true);
  });

  it.each(['policy/index.ts', 'index-record/index.ts', 'chain/index.ts', 'errors.ts'])(
    '%s never reaches src/pairing or mcl-wasm',
    (entry) => {
      const reached = [...closure(join(src, entry))];
      expect(reached.filter((f) => f.includes(`${join('src', 'pairing')}`) || f.startsWith('pkg:mcl-wasm'))).toEqual(
        [],
      );
    },
  );

  it('cpabe does reach the pairing layer (the check above can fail)', () => {
    expect([...closure(join(src, 'cpabe/index.ts'))].some((f) => f.endsWith(join('pairing', 'backend.ts')))).toBe(true);
  });

  it('no source file is far beyond the ~400-line guideline', () => {
    const long = files(src).filter((f) => readFileSync(f, 'utf8').split('\n').length > 480);
    expect(long.map((f) => relative(root, f))).toEqual([]);
  });
});

/**
 * Browser safety: every entry point of package.json "exports" (through its `bpds-source`
 * condition) is browser-facing unless listed here. Node-only subpaths add one line.
 */
const NODE_ONLY_SUBPATHS = new Set(['./node']);
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec !== undefined && !/^\s*(import|export)\s+type\s/.test(m[0])) out.push(spec);
  }
  return out;
}

/** Node built-ins reachable from `entry`, each with the file that imports it. */
function builtinsReached(entry: string): string[] {
  const seen = new Set<string>();
  const stack = [entry];
  const found: string[] = [];
  while (stack.length > 0) {
    const f = stack.pop() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const spec of runtimeImports(f)) {
      const local = resolveLocal(f, spec);
      if (local !== undefined) stack.push(local);
      else if (BUILTINS.has(spec) || spec.startsWith('node:')) found.push(`${relative(root, f)} -> ${spec}`);
    }
  }
  return found;
}

const exportsMap = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports as Record<
  string,
  string | Record<string, string>
>;
const entries = Object.entries(exportsMap).flatMap(([sub, target]) =>
  typeof target === 'object' && target['bpds-source'] !== undefined ? [[sub, target['bpds-source']] as const] : [],
);

describe('browser-safe entry points', () => {
  it('every subpath of package.json "exports" has a bpds-source entry', () => {
    expect(entries.map(([s]) => s)).toEqual(Object.keys(exportsMap).filter((s) => s !== './package.json'));
  });

  it.each(entries.filter(([sub]) => !NODE_ONLY_SUBPATHS.has(sub)))(
    '"%s" reaches no Node built-in (fs, path, ...)',
    (_sub, file) => {
      expect(builtinsReached(join(root, file))).toEqual([]);
    },
  );

  it('the walk finds the built-ins of bpds/node (the check above can fail)', () => {
    const nodeEntry = entries.find(([s]) => s === './node');
    expect(nodeEntry).toBeDefined();
    expect(builtinsReached(join(root, (nodeEntry as readonly [string, string])[1]))).toContain(
      'src/protocol/file-blob-store.ts -> node:fs/promises',
    );
  });
});
