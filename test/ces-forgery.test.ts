/**
 * Forgeries against bpds/ces presentations: each test builds a well-formed but
 * tampered presentation through the internal constructors, encodes it, and
 * checks that `verify` returns `valid: false` (never throws, never accepts).
 */
import { describe, expect, it } from 'vitest';
import {
  extract,
  type JsonValue,
  type Presentation,
  RuleSet,
  type SchemeName,
  SigningKey,
  sign,
  verify,
} from '../src/ces/index.js';
import { encodeHeader } from '../src/ces/internal/header.js';
import {
  makePresentation,
  type ParsedEntry,
  type PresentationParts,
  presentationParts,
} from '../src/ces/presentation.js';
import { InvalidEncodingError } from '../src/errors.js';
import { canonicalBytes } from '../src/internal/jcs.js';
import { init } from '../src/pairing/index.js';
import { testBlsAlg } from './helpers.js';

await init();

const record: JsonValue = {
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'HbA1c' },
  valueQuantity: { value: 7.2, unit: '%' },
  subject: { reference: 'Patient/1' },
  note: [{ text: 'fasting' }, { text: 'second sample' }],
};
const twin: JsonValue = { ...(record as object), valueQuantity: { value: 9.9, unit: '%' } };
const selection = ['/resourceType', '/status', '/valueQuantity', '/note/1'];

const CASES: { scheme: SchemeName; key: SigningKey }[] = [
  { scheme: 'commit-vector', key: SigningKey.generate('ed25519') },
  { scheme: 'hash-tree', key: SigningKey.generate('secp256k1') },
  { scheme: 'aggregate', key: SigningKey.generate(testBlsAlg()) },
];

/** Rebuild a presentation with some parts changed, and encode it (so verify sees bytes). */
function tamper(p: Presentation, f: (parts: PresentationParts) => Partial<PresentationParts>): Uint8Array {
  const parts = presentationParts(p);
  return makePresentation({ ...parts, ...f(parts) }).toBytes();
}
const entryWith = (e: ParsedEntry, path: (string | number)[], value: JsonValue): ParsedEntry => ({
  ...e,
  path,
  value,
  bytes: canonicalBytes([path, value]),
});

describe.each(CASES)('forgeries against $scheme', ({ scheme, key }) => {
  const vk = key.verifyKey();
  const signed = sign(key, record, { scheme, rules: { id: 'obs', mandatory: ['/resourceType'] }, order: 'record' });
  const p = extract(signed, record, selection);

  it('the untampered presentation verifies', () => {
    const r = verify(vk, p.toBytes());
    expect(r.valid && r.disclosed).toEqual({
      resourceType: 'Observation',
      status: 'final',
      valueQuantity: { value: 7.2, unit: '%' },
      note: [{ text: 'second sample' }],
    });
  });

  it('changing a disclosed value fails', () => {
    const b = tamper(p, ({ entries }) => ({
      entries: entries.map((e) => (e.path[0] === 'status' ? entryWith(e, e.path as string[], 'amended') : e)),
    }));
    expect(verify(vk, b)).toEqual({ valid: false, reason: 'signature' });
  });

  it('moving a disclosed value to another path fails', () => {
    const b = tamper(p, ({ entries }) => ({
      entries: entries.map((e) => (e.path[0] === 'status' ? entryWith(e, ['subject', 'reference'], e.value) : e)),
    }));
    expect(verify(vk, b)).toEqual({ valid: false, reason: 'signature' });
    const c = tamper(p, ({ entries }) => ({
      entries: entries.map((e) => (e.path[1] === 1 ? entryWith(e, ['note', 0, 'text'], e.value) : e)),
    }));
    expect(verify(vk, c)).toEqual({ valid: false, reason: 'signature' });
  });

  it('adding a field at a hidden position fails', () => {
    const b = tamper(p, ({ entries, body, header }) => {
      const used = new Set(entries.map((e) => e.index));
      const hidden = [...Array(header.count).keys()].find((i) => !used.has(i)) as number;
      const extra = entryWith({ ...(entries[0] as ParsedEntry), index: hidden }, ['interpretation'], 'normal');
      const all = [...entries, extra].sort((x, y) => x.index - y.index);
      // commit-vector: drop the hidden commitment that the new entry replaces.
      const rank = [...Array(header.count).keys()].filter((i) => !used.has(i)).indexOf(hidden);
      const hashes = scheme === 'commit-vector' ? body.hashes.filter((_, k) => k !== rank) : body.hashes;
      return { entries: all, body: { ...body, hashes } };
    });
    expect(verify(vk, b).valid).toBe(false);
  });

  it('mixing fields of two signed records fails', () => {
    const other = extract(
      sign(key, twin, { scheme, rules: { id: 'obs', mandatory: ['/resourceType'] }, order: 'record' }),
      twin,
      selection,
    );
    const theirs = presentationParts(other).entries;
    const b = tamper(p, ({ entries }) => ({
      entries: entries.map((e) => (e.path[0] === 'valueQuantity' ? (theirs.find((t) => t.index === e.index) ?? e) : e)),
    }));
    expect(verify(vk, b)).toEqual({ valid: false, reason: 'signature' });
    // Another record's signature on this record's disclosure.
    const c = tamper(p, () => ({ body: presentationParts(other).body }));
    expect(verify(vk, c).valid).toBe(false);
  });

  it('changing the rules fails (with or without updating the header)', () => {
    const loose = RuleSet.from({ id: 'obs' });
    expect(
      verify(
        vk,
        tamper(p, () => ({ rules: loose })),
      ),
    ).toEqual({ valid: false, reason: 'rules' });
    const b = tamper(p, ({ header }) => {
      const h = { ...header, rulesDigest: loose.digest, maskLen: 0, tags: new Map() };
      return { rules: loose, header: h, headerBytes: encodeHeader(h) };
    });
    expect(verify(vk, b)).toEqual({ valid: false, reason: 'signature' });
  });

  it('changing the header fails', () => {
    for (const change of [{ issuedAt: 1 }, { documentId: new Uint8Array(16) }, { rulesId: 'other' }]) {
      const b = tamper(p, ({ header }) => {
        const h = { ...header, ...change };
        return { header: h, headerBytes: encodeHeader(h) };
      });
      expect(verify(vk, b).valid).toBe(false);
    }
  });

  it('dropping or reordering proof material fails', () => {
    const b = tamper(p, ({ body }) => ({ body: { ...body, hashes: [...body.hashes].reverse() } }));
    if (presentationParts(p).body.hashes.length > 1)
      expect(verify(vk, b)).toEqual({ valid: false, reason: 'signature' });
    const c = tamper(p, ({ entries }) => ({ entries: entries.filter((e) => e.path[0] !== 'status') }));
    // commit-vector: the hash count no longer fits the count, a malformed encoding.
    if (scheme === 'commit-vector') expect(() => verify(vk, c)).toThrow(InvalidEncodingError);
    else expect(verify(vk, c)).toEqual({ valid: false, reason: 'signature' });
  });

  it('replaying a holder binding to another audience, nonce or presentation fails', () => {
    const holder = SigningKey.generate('ed25519');
    const bound = sign(key, record, { scheme, holderPublicKey: holder.verifyKey() });
    const opts = { audience: 'clinic-a', nonce: 'n1' };
    const p1 = extract(bound, record, ['/status'], { holder: { key: holder, ...opts } });
    const p2 = extract(bound, record, ['/status', '/code'], { holder: { key: holder, ...opts, nonce: 'n2' } });
    expect(verify(vk, p1, opts).valid).toBe(true);
    expect(verify(vk, p1, { ...opts, audience: 'clinic-b' })).toEqual({ valid: false, reason: 'holder' });
    expect(verify(vk, p1, { ...opts, nonce: 'n2' })).toEqual({ valid: false, reason: 'holder' });
    // Binding of p1 (audience/nonce rewritten) on p1.
    const b = tamper(p1, ({ holder: h }) => ({ holder: h && { ...h, nonce: 'n2' } }));
    expect(verify(vk, b, { ...opts, nonce: 'n2' })).toEqual({ valid: false, reason: 'holder' });
    // Binding of p2 moved onto p1's content.
    const c = tamper(p1, () => ({ holder: presentationParts(p2).holder }));
    expect(verify(vk, c, { ...opts, nonce: 'n2' })).toEqual({ valid: false, reason: 'holder' });
    // Stripping the binding.
    expect(
      verify(
        vk,
        tamper(p1, () => ({ holder: undefined })),
        opts,
      ),
    ).toEqual({ valid: false, reason: 'holder' });
  });
});
