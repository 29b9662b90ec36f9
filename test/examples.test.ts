/**
 * Runs every example script (and the demo) as a user would, so they never rot:
 * each must report that every expectation held, and the process must exit 0.
 * All scripts run in one Node process (one tsx and WASM start-up) to keep the
 * suite fast; each script still prints its own verdict.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const SCRIPTS = ['demo', 'authority', 'hospital', 'patient', 'requester', 'storage'] as const;
const VERDICT: Record<(typeof SCRIPTS)[number], string> = {
  demo: 'demo',
  authority: 'authority example',
  hospital: 'hospital example',
  patient: 'patient example',
  requester: 'requester example',
  storage: 'storage example',
};

function runAll(): Promise<{ code: number | null; out: string }> {
  const program = `for (const s of ${JSON.stringify(SCRIPTS)}) { console.log('=== ' + s); await import('./examples/' + s + '.ts'); }`;
  return new Promise((ok, fail) => {
    const child = spawn(
      process.execPath,
      ['--conditions=bpds-source', '--import', 'tsx', '--input-type=module', '-e', program],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => ok({ code, out }));
  });
}

describe('examples', () => {
  let result: { code: number | null; out: string };
  const section = (s: string) => {
    const start = result.out.indexOf(`=== ${s}\n`);
    const next = result.out.indexOf('\n=== ', start + 1);
    return start < 0 ? '' : result.out.slice(start, next < 0 ? undefined : next);
  };

  beforeAll(async () => {
    result = await runAll();
  }, 180_000);

  it.each(SCRIPTS)('examples/%s.ts runs and every expectation holds', (script) => {
    const out = section(script);
    expect(out, result.out).toContain(`${VERDICT[script]}: every expectation held`);
    expect(out).not.toContain('EXPECTATION FAILED');
  });

  it('the process exits 0', () => {
    expect(result.code, result.out).toBe(0);
  });

  it('the demo tells the whole story', () => {
    const out = section('demo');
    for (const part of [
      'The hospital publishes a cardiology record',
      'Dr. Chen (cardiology doctor) reads and verifies it',
      'Nurse Ito (oncology) is refused',
      'three fields only',
      'the tampered blob is detected',
      'The chain verifies',
      'audit log',
    ]) {
      expect(out).toContain(part);
    }
  });
});
