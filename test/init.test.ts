import { describe, expect, it } from 'vitest';
import { NotInitializedError } from '../src/errors.js';
import * as P from '../src/pairing/index.js';

// Each test file runs in its own process (vitest `forks` pool), so this file sees a fresh,
// uninitialized backend.
describe('init', () => {
  it('every operation before init throws NotInitializedError (never crashes)', () => {
    expect(P.isInitialized()).toBe(false);
    const calls: Array<() => unknown> = [
      () => P.frRandom(),
      () => P.frFrom(1n),
      () => P.g1Generator(),
      () => P.g2Generator(),
      () => P.g1FromBytes(new Uint8Array(32)),
      () => P.gtOne(),
      () => P.hashToG1('dst', new Uint8Array(1)),
      () => P.hashToFr('dst', new Uint8Array(1)),
      () => P.multiPairing([], []),
    ];
    for (const f of calls) {
      try {
        f();
        expect.unreachable('should have thrown');
      } catch (e) {
        expect(e).toBeInstanceOf(NotInitializedError);
        expect((e as NotInitializedError).code).toBe('ERR_NOT_INITIALIZED');
      }
    }
  });

  it('concurrent calls share one promise and init is idempotent', async () => {
    const a = P.init();
    const b = P.init();
    expect(a).toBe(b);
    await Promise.all([a, b, P.init()]);
    expect(P.isInitialized()).toBe(true);
    await P.init();
    expect(P.g1IsIdentity(P.g1Generator())).toBe(false);
  });
});
