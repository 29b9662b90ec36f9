import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every module specifier in a file: static imports/exports, dynamic import(), require(). */
function specifiers(text: string): string[] {
  // drop comments first (TSDoc examples import 'bpds/policy')
  const src = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  const res = [
    /\b(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of res) for (const m of src.matchAll(re)) out.push(m[1] as string);
  return out;
}

describe('src/policy import graph', () => {
  it('never reaches src/pairing or mcl-wasm, directly or transitively', () => {
    const start = tsFiles(join(root, 'src/policy'));
    expect(start.length).toBeGreaterThan(5);
    const seen = new Set<string>();
    const externals = new Set<string>();
    const queue = [...start];
    while (queue.length > 0) {
      const file = queue.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
          queue.push(target);
        } else {
          externals.add(spec);
        }
      }
    }
    const files = [...seen].map((f) => relative(root, f));
    expect(files.filter((f) => f.startsWith('src/pairing') || f.includes('mcl'))).toEqual([]);
    expect(
      files.every((f) => f.startsWith('src/policy/') || f.startsWith('src/internal/') || f === 'src/errors.ts'),
    ).toBe(true);
    expect([...externals].filter((s) => s.includes('mcl'))).toEqual([]);
    // @noble/hashes, plus a type-only `node:crypto` import in src/internal (the native
    // SHA-256 is reached at run time through process.getBuiltinModule, never imported).
    expect([...externals].filter((s) => !s.startsWith('@noble/hashes/') && s !== 'node:crypto')).toEqual([]);
    // the scanner itself works
    expect(
      specifiers("import { a } from './x.js';\nimport type { B } from \"../y.js\";\nexport * from './z.js';"),
    ).toEqual(['./x.js', '../y.js', './z.js']);
  });

  it('loads and works without initializing the pairing layer', async () => {
    const policy = await import('../src/policy/index.js');
    const pairing = await import('../src/pairing/index.js');
    expect(pairing.isInitialized()).toBe(false);
    expect(policy.satisfies(policy.parsePolicy('a and b'), ['a', 'b'])).toBe(true);
    expect(pairing.isInitialized()).toBe(false);
  });
});
