/**
 * The documentation runs (issue 13): every ```ts block of README.md and docs/*.md is
 * written to .tmp/snippets/ inside the repository (so `import ... from 'bpds/...'`
 * resolves by package name, through the `bpds-source` export condition), type-checked
 * strictly with the repository's compiler options, and executed.
 *
 * A block is skipped only when the line before it is
 * `<!-- snippet: skip (fragment: <reason>) -->`, for fragments such as interface
 * listings that are not programs. Blocks may use the few values of SETUP below
 * without declaring them.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const outDir = join(root, '.tmp', 'snippets');

/** Values a block may use without declaring them (added only when used and not declared). */
const SETUP: Record<string, string> = {
  observation: `const observation = {
  resourceType: 'Observation', status: 'final', code: { text: 'HbA1c' },
  subject: { reference: 'Patient/1' }, valueQuantity: { value: 6.9, unit: '%' }, note: [{ text: 'private' }],
};`,
};

const SKIP = /^<!--\s*snippet:\s*skip\s*\(fragment:\s*([^)]+\S)\s*\)\s*-->$/;

interface Snippet {
  readonly id: string;
  readonly file: string;
  readonly code: string;
  readonly skip?: string;
}

function snippets(): Snippet[] {
  const docs = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  const out: Snippet[] = [];
  for (const doc of docs) {
    const lines = readFileSync(join(root, doc), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]?.trim() !== '```ts') continue;
      let j = i + 1;
      while (j < lines.length && lines[j]?.trim() !== '```') j++;
      let k = i - 1;
      while (k >= 0 && lines[k]?.trim() === '') k--;
      const reason = SKIP.exec(lines[k]?.trim() ?? '')?.[1];
      const id = `${doc.replace(/[/.]/g, '-')}-L${i + 1}`;
      out.push({
        id,
        file: join(outDir, `${id}.ts`),
        code: lines.slice(i + 1, j).join('\n'),
        ...(reason === undefined ? {} : { skip: reason }),
      });
      i = j;
    }
  }
  return out;
}

function withSetup(code: string): string {
  const pre = Object.entries(SETUP)
    .filter(([name]) => new RegExp(`\\b${name}\\b`).test(code))
    .filter(([name]) => !new RegExp(`(?:const|let|var)\\s+(?:\\{[^}]*\\b${name}\\b[^}]*\\}|${name}\\b)`).test(code))
    .map(([, def]) => def);
  // `export {}` makes every block a module (top-level await, no global collisions).
  return `${pre.join('\n')}\n${code}\nexport {};\n`;
}

const all = snippets();
const runnable = all.filter((s) => s.skip === undefined);
mkdirSync(outDir, { recursive: true });
for (const s of runnable) writeFileSync(s.file, withSetup(s.code));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('documentation snippets', () => {
  it('finds the blocks, and skips only marked fragments', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(8);
    for (const s of all.filter((x) => x.skip !== undefined)) expect(s.skip?.length).toBeGreaterThan(5);
  });

  it('type-check strictly', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    );
    if (config === undefined) throw new Error('cannot read tsconfig.json');
    const program = ts.createProgram(
      runnable.map((s) => s.file),
      { ...config.options, noEmit: true },
    );
    const problems = runnable.flatMap((s) => {
      const sf = program.getSourceFile(s.file);
      if (sf === undefined) return [`${s.id}: not in the program`];
      return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
        const pos = d.start === undefined ? '' : `:${sf.getLineAndCharacterOfPosition(d.start).line + 1}`;
        return `${relative(root, s.file)}${pos}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    });
    expect(problems).toEqual([]);
  }, 180_000);

  it.each(runnable.map((s) => [s.id, s] as const))('%s runs', async (_id, s) => {
    await import(/* @vite-ignore */ s.file);
  });
});
