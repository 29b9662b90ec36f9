/**
 * Tiny narration helpers for the examples: numbered steps, checks that record a
 * failure (the script then exits non-zero), and expected refusals.
 */
import { BpdsError } from 'bpds/errors';
import { ProtocolError } from 'bpds/protocol';

let failures = 0;
let stepNo = 0;
const color = process.stdout.isTTY && process.env.NO_COLOR === undefined;
const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);

/** Print a numbered step title. */
export function step(title: string): void {
  stepNo++;
  console.log(`\n${paint(1, `${stepNo}. ${title}`)}`);
}

/** Print an indented detail line. */
export function say(text: string): void {
  console.log(`   ${text}`);
}

/** Record an expectation: prints ✔ or ✘ (and counts the failure). */
export function check(ok: boolean, what: string): void {
  if (ok) console.log(`   ${paint(32, '✔')} ${what}`);
  else {
    failures++;
    console.log(`   ${paint(31, '✘ EXPECTATION FAILED:')} ${what}`);
  }
}

/** Expect `action` to be refused with a ProtocolError at `step` (and `reason`, if given). */
export async function refused(
  action: () => Promise<unknown>,
  expected: { step: string; reason?: string },
  what: string,
): Promise<void> {
  try {
    await action();
    check(false, `${what}: was NOT refused`);
  } catch (e) {
    if (e instanceof ProtocolError) {
      const ok = e.step === expected.step && (expected.reason === undefined || e.reason === expected.reason);
      check(ok, `${what}: refused at step "${e.step}" (${e.reason})`);
    } else if (e instanceof BpdsError) {
      check(false, `${what}: refused with ${e.code} instead of a protocol error: ${e.message}`);
    } else {
      check(false, `${what}: crashed: ${String(e)}`);
    }
  }
}

/** Exit non-zero if any expectation failed. */
export function finish(name: string): void {
  if (failures > 0) {
    console.log(`\n${paint(31, `${name}: ${failures} expectation(s) failed`)}`);
    process.exitCode = 1;
  } else {
    console.log(`\n${paint(32, `${name}: every expectation held`)}`);
  }
}
