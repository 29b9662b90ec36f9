/**
 * Argument checks that name the argument, jose style:
 * `"ciphertext" expected Uint8Array, got string`. Internal.
 */
import { InvalidArgumentError } from '../errors.js';

/** Short description of a value's type for error messages (never its content). */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'Array';
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/** Throw unless `v` is a Uint8Array (optionally of an exact length). */
export function assertBytes(v: unknown, name: string, length?: number): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) {
    throw new InvalidArgumentError(`"${name}" expected Uint8Array, got ${describe(v)}`);
  }
  if (length !== undefined && v.length !== length) {
    throw new InvalidArgumentError(`"${name}" expected ${length} bytes, got ${v.length}`);
  }
}

/** Throw unless `v` is a string (optionally with at most `maxLength` UTF-16 units). */
export function assertString(v: unknown, name: string, maxLength?: number): asserts v is string {
  if (typeof v !== 'string') {
    throw new InvalidArgumentError(`"${name}" expected string, got ${describe(v)}`);
  }
  if (maxLength !== undefined && v.length > maxLength) {
    throw new InvalidArgumentError(`"${name}" longer than ${maxLength} characters`);
  }
}

/** Throw unless `v` is a safe integer in [min, max]. */
export function assertInteger(v: unknown, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): asserts v is number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new InvalidArgumentError(
      `"${name}" expected an integer in [${min}, ${max}], got ${typeof v === 'number' ? String(v) : describe(v)}`,
    );
  }
}

/** Throw unless `v` is a non-null plain object. */
export function assertObject(v: unknown, name: string): asserts v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new InvalidArgumentError(`"${name}" expected object, got ${describe(v)}`);
  }
}
