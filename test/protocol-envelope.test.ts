import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidEncodingError } from '../src/errors.js';
import { EnvelopeKind, openEnvelope, paddedSize, sealEnvelope } from '../src/protocol/internal/envelope.js';
import { runs } from './helpers.js';

describe('envelope', () => {
  it('pads to size buckets', () => {
    expect(paddedSize(0)).toBe(1024);
    expect(paddedSize(1024)).toBe(1024);
    expect(paddedSize(1025)).toBe(2048);
    expect(paddedSize(65536)).toBe(65536);
    expect(paddedSize(65537)).toBe(131072);
    expect(paddedSize(200_000)).toBe(262144);
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), (n) => {
        const p = paddedSize(n);
        expect(p).toBeGreaterThanOrEqual(n);
        const powerOfTwoBucket = p <= 65536 && Number.isInteger(Math.log2(p / 1024));
        expect(powerOfTwoBucket || p % 65536 === 0).toBe(true);
        if (n > 1024) expect(p).toBeLessThan(2 * n + 65536);
      }),
      { numRuns: runs(200) },
    );
  });

  it('round-trips and hides the body length inside a bucket', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (body) => {
        const e = sealEnvelope(EnvelopeKind.Presentation, body);
        expect(e.length).toBe(paddedSize(body.length + 6));
        expect(openEnvelope(e, EnvelopeKind.Presentation)).toEqual(body);
        expect(() => openEnvelope(e, EnvelopeKind.SignedRecord)).toThrow(InvalidEncodingError);
      }),
      { numRuns: runs(100) },
    );
  });

  it('rejects malformed envelopes with InvalidEncodingError, never anything else', () => {
    const good = sealEnvelope(EnvelopeKind.SignedRecord, new Uint8Array([1, 2, 3]));
    const bad = [new Uint8Array(0), good.subarray(0, 5), Uint8Array.of(2, ...good.subarray(1))];
    const nz = good.slice();
    nz[nz.length - 1] = 1;
    bad.push(nz);
    for (const b of bad) expect(() => openEnvelope(b, EnvelopeKind.SignedRecord)).toThrow(InvalidEncodingError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        // Refused, or the body re-seals to exactly the same bytes (one encoding per body).
        let body: Uint8Array;
        try {
          body = openEnvelope(b, EnvelopeKind.SignedRecord);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidEncodingError);
          return;
        }
        expect(sealEnvelope(EnvelopeKind.SignedRecord, body)).toEqual(b);
      }),
      { numRuns: runs(300) },
    );
  });
});
