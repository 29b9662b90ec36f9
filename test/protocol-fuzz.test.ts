/**
 * Hostile bytes at every place a requester reads them: garbage presentations,
 * bit-flipped and truncated ciphertexts. Each must end in a ProtocolError naming a
 * step (or InvalidArgumentError for malformed arguments), never a crash, a hang,
 * or an accepted record.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BlobStore, MemoryBlobStore, ProtocolError } from '../src/protocol/index.js';
import { runs } from './helpers.js';
import { makeWorld, observation, type World } from './protocol-helpers.js';

describe('fuzz: hostile bytes never get through', () => {
  let w: World;
  let recordId: string;
  let locator: string;
  let grantPresentation: string;
  let ciphertext: Uint8Array;
  let presentationCt: Uint8Array;

  beforeAll(async () => {
    w = await makeWorld();
    const p = await w.hospital.publish({ patient: 'p-alice', record: observation, policy: 'role:doctor' });
    recordId = p.recordId;
    locator = p.locator;
    ciphertext = await w.store.get(locator);
    await w.patient.grant({ recordId, to: { policy: 'role:doctor' } });
    await w.requester('fuzz-ins', ['org:insurer']);
    const g = await w.patient.grant({ recordId, to: { requester: 'fuzz-ins' }, fields: ['/code'] });
    grantPresentation = g.presentation as string;
    presentationCt = await w.store.get(grantPresentation);
  });

  /** A store that serves `bytes` for `target` and is otherwise honest (a lying provider). */
  const lyingStore = (target: string, bytes: Uint8Array): BlobStore => ({
    put: (b) => w.store.put(b),
    has: (l) => w.store.has(l),
    get: async (l) => (l === target ? bytes.slice() : w.store.get(l)),
  });

  it('mutated record ciphertexts are refused at the digest check', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), async (pos, x, truncate) => {
        const bad = truncate ? ciphertext.subarray(0, pos % ciphertext.length) : ciphertext.slice();
        if (!truncate) bad[pos % bad.length] = (bad[pos % bad.length] as number) ^ x;
        const r = await w.requester(`fuzz-doc-${pos}-${x}-${truncate}`, ['role:doctor'], {
          store: lyingStore(locator, bad),
        });
        const e = await r.access({ recordId, purpose: 'TREAT' }).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(e).toBeInstanceOf(ProtocolError);
        expect((e as ProtocolError).step).toBe('ciphertext-digest');
      }),
      { numRuns: runs(6, { heavy: true }) },
    );
  });

  it('garbage, bit-flipped or truncated presentations are refused with a named step', async () => {
    let n = 0;
    const variants = fc.oneof(
      fc.uint8Array({ maxLength: 512 }),
      fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([pos, x]) => {
        const b = presentationCt.slice();
        b[pos % b.length] = (b[pos % b.length] as number) ^ x;
        return b;
      }),
      fc.nat().map((pos) => presentationCt.subarray(0, pos % presentationCt.length)),
    );
    await fc.assert(
      fc.asyncProperty(variants, async (bad) => {
        n++;
        const store = new MemoryBlobStore();
        const loc = await store.put(bad);
        const mixed: BlobStore = {
          put: (b) => store.put(b),
          has: async (l) => (await store.has(l)) || w.store.has(l),
          get: async (l) => ((await store.has(l)) ? store.get(l) : w.store.get(l)),
        };
        const insurer = await w.requester(`fuzz-p-${n}`, ['org:insurer'], { store: mixed });
        await w.patient.grant({ recordId, to: { requester: insurer.id }, fields: ['/code'] });
        const e = await insurer.access({ recordId, purpose: 'TREAT', presentation: loc }).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(e).toBeInstanceOf(ProtocolError);
        expect(['decrypt', 'envelope', 'signature']).toContain((e as ProtocolError).step);
      }),
      { numRuns: runs(10, { heavy: true }) },
    );
  });
});
