/** viem stays an optional peer: only src/evm imports it, and bpds/evm never loads the WASM backend. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

describe('bpds/evm imports', () => {
  it('only src/evm imports viem', () => {
    const importsViem = files(src).filter((f) => /from\s+['"]viem(\/[^'"]*)?['"]/.test(readFileSync(f, 'utf8')));
    expect(importsViem.length).toBeGreaterThan(0);
    expect(importsViem.map((f) => relative(src, f)).filter((f) => !f.startsWith('evm'))).toEqual([]);
  });

  it('src/evm never imports the pairing layer or the protocol roles', () => {
    const bad = files(join(src, 'evm')).filter((f) =>
      /from\s+['"]\.\.\/(pairing|cpabe|protocol)\//.test(readFileSync(f, 'utf8')),
    );
    expect(bad).toEqual([]);
  });
});
