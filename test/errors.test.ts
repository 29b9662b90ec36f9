import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as E from '../src/errors.js';
import { assertBytes, assertInteger, assertString } from '../src/internal/assert.js';
import { fromBase64url, fromHex, toBase64url, toHex } from '../src/internal/bytes.js';
import { ByteReader, ByteWriter } from '../src/internal/codec.js';
import { ProtocolError } from '../src/protocol/errors.js';
import { runs } from './helpers.js';

describe('error hierarchy', () => {
  const cases: Array<[E.BpdsError, string, string]> = [
    [new E.NotInitializedError(), 'ERR_NOT_INITIALIZED', 'NotInitializedError'],
    [new E.InvalidEncodingError('x'), 'ERR_INVALID_ENCODING', 'InvalidEncodingError'],
    [new E.CurveMismatchError('bn254', 'bls12-381'), 'ERR_INVALID_ENCODING', 'CurveMismatchError'],
    [new E.InvalidArgumentError('x'), 'ERR_INVALID_ARGUMENT', 'InvalidArgumentError'],
    [new E.PolicySyntaxError("expected ')'", 17), 'ERR_POLICY_SYNTAX', 'PolicySyntaxError'],
    [new E.PolicyNotSatisfiedError(), 'ERR_POLICY_NOT_SATISFIED', 'PolicyNotSatisfiedError'],
    [new E.DecryptionError(), 'ERR_DECRYPTION_FAILED', 'DecryptionError'],
    [new E.ExtractionNotAllowedError('no', 'rule'), 'ERR_EXTRACTION_NOT_ALLOWED', 'ExtractionNotAllowedError'],
    [new E.VerificationError(), 'ERR_VERIFICATION_FAILED', 'VerificationError'],
    [new E.LedgerError('REPLAYED_NONCE', 'replay'), 'ERR_LEDGER', 'LedgerError'],
  ];
  it.each(cases)('%s has a stable code and name', (err, code, name) => {
    expect(err).toBeInstanceOf(E.BpdsError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe(code);
    expect((err.constructor as typeof E.BpdsError).code).toBe(code);
    expect(err.name).toBe(name);
  });
  it('carries column, cause and reason', () => {
    const p = new E.PolicySyntaxError("expected ')'", 17);
    expect(p.message).toBe("expected ')' at column 17");
    expect(p.column).toBe(17);
    const cause = new Error('inner');
    expect(new E.DecryptionError(undefined, { cause }).cause).toBe(cause);
    expect(new E.LedgerError('UNKNOWN_RECORD', 'no such record').reason).toBe('UNKNOWN_RECORD');
  });
});

describe('argument checks name the argument', () => {
  it('assertBytes / assertString / assertInteger', () => {
    expect(() => assertBytes('x', 'ciphertext')).toThrow('"ciphertext" expected Uint8Array, got string');
    expect(() => assertBytes(new Uint8Array(3), 'key', 32)).toThrow('"key" expected 32 bytes, got 3');
    expect(() => assertString(1, 'policy')).toThrow('"policy" expected string, got number');
    expect(() => assertInteger(1.5, 'n')).toThrow(E.InvalidArgumentError);
  });
});

describe('internal codecs', () => {
  it('hex and base64url round-trip and reject garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        expect(fromHex(toHex(b))).toEqual(b);
        expect(fromBase64url(toBase64url(b))).toEqual(b);
        expect(toBase64url(b)).toBe(Buffer.from(b).toString('base64url'));
      }),
      { numRuns: runs(200) },
    );
    expect(() => fromHex('abc')).toThrow(E.InvalidEncodingError);
    expect(() => fromBase64url('a')).toThrow(E.InvalidEncodingError);
    expect(() => fromBase64url('ab=c')).toThrow(E.InvalidEncodingError);
    expect(() => fromBase64url('AB')).toThrow(/non-canonical/);
  });
  it('ByteReader is bounds-checked and rejects trailing bytes', () => {
    const bytes = new ByteWriter()
      .u8(1)
      .string('héllo')
      .varBytes(new Uint8Array([1, 2]))
      .finish();
    const r = new ByteReader(bytes, 'test');
    expect(r.u8('v')).toBe(1);
    expect(r.string('s')).toBe('héllo');
    expect(r.varBytes('b')).toEqual(new Uint8Array([1, 2]));
    r.end();
    const r2 = new ByteReader(new Uint8Array([0, 0, 0, 9, 1]), 'test');
    expect(() => r2.varBytes('b')).toThrow(E.InvalidEncodingError);
    expect(() => new ByteReader(new Uint8Array([0, 0]), 'test').u32('n')).toThrow(/truncated/);
    const r3 = new ByteReader(new Uint8Array([0, 0, 0, 9]), 'test');
    expect(() => r3.count('n', 4)).toThrow(/exceeds/);
    const r4 = new ByteReader(new Uint8Array([1, 2]), 'test');
    r4.u8('x');
    expect(() => r4.end()).toThrow(/trailing/);
  });
});

describe('typed codes and isBpdsError', () => {
  it('narrows to the class with its extra fields', () => {
    const caught: unknown = new E.LedgerError('REPLAYED_NONCE', 'replay');
    expect(E.isBpdsError(caught)).toBe(true);
    expect(E.isBpdsError(caught, 'ERR_LEDGER')).toBe(true);
    expect(E.isBpdsError(caught, 'ERR_DECRYPTION_FAILED')).toBe(false);
    if (E.isBpdsError(caught, 'ERR_LEDGER')) {
      const reason: E.LedgerReason = caught.reason;
      expect(reason).toBe('REPLAYED_NONCE');
    }
    const syntax: unknown = new E.PolicySyntaxError("expected ')'", 3);
    if (E.isBpdsError(syntax, 'ERR_POLICY_SYNTAX')) expect(syntax.column).toBe(3);
    else expect.unreachable();
    const p: unknown = new ProtocolError('blob-store', 'BLOB_NOT_FOUND', 'gone');
    if (E.isBpdsError(p, 'ERR_PROTOCOL')) expect([p.step, p.reason]).toEqual(['blob-store', 'BLOB_NOT_FOUND']);
    else expect.unreachable();
    expect(E.isBpdsError(new Error('x'))).toBe(false);
    expect(E.isBpdsError({ code: 'ERR_LEDGER' }, 'ERR_LEDGER')).toBe(false);
    expect(E.isBpdsError(undefined)).toBe(false);
  });

  it('codes are literal types: a misspelt code does not compile', () => {
    const e = new E.DecryptionError();
    const literal: 'ERR_DECRYPTION_FAILED' = e.code;
    expect(literal).toBe(E.DecryptionError.code);
    const base: E.BpdsError = e;
    // @ts-expect-error 'ERR_TYPO' is not a BpdsErrorCode
    expect(base.code === 'ERR_TYPO').toBe(false);
    // @ts-expect-error 'ERR_TYPO' is not a BpdsErrorCode
    expect(E.isBpdsError(e, 'ERR_TYPO')).toBe(false);
    // @ts-expect-error 'NOT_A_REASON' is not a LedgerReason
    expect(new E.LedgerError('NOT_A_REASON', 'x').reason).toBe('NOT_A_REASON');
    expect(E.LEDGER_REASONS).toContain('TAMPERED_CHAIN');
  });

  it('every concrete class has a distinct code that maps back to it', () => {
    const classes = Object.values(E).filter(
      (v): v is typeof E.BpdsError => typeof v === 'function' && v.prototype instanceof E.BpdsError,
    );
    // A refinement keeps its parent's code (CurveMismatchError is an InvalidEncodingError that
    // names both curves); every other class has its own code.
    const refinements = classes.filter((c) => (Object.getPrototypeOf(c) as typeof E.BpdsError).code === c.code);
    expect(refinements).toEqual([E.CurveMismatchError]);
    const codes = classes.filter((c) => !refinements.includes(c)).map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of classes) expect(c.name).toMatch(/Error$/);
  });
});
