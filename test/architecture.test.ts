/**
 * The dependency rule of docs/architecture.md, checked on the source: only src/pairing
 * imports mcl-wasm, and the WASM-free modules (policy, index-record, chain, errors) never
 * reach src/pairing through any chain of imports.
 */
import { readdirSync, readFileSync } from 'node:fs';
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
