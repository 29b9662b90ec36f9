/**
 * Property tests of bpds/ces over random JSON trees, random selections and random
 * extraction rules, checked against an independent oracle of the rule semantics.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ClaimsPath,
  type ExtractionRules,
  extract,
  type JsonValue,
  Presentation,
  RuleSet,
  type SchemeName,
  SignedRecord,
  SigningKey,
  sign,
  VerifyKey,
  verify,
} from '../src/ces/index.js';
import { splitRecord } from '../src/ces/internal/record.js';
import { SCHEMES } from '../src/ces/internal/schemes.js';
import { makePresentation, type ParsedEntry } from '../src/ces/presentation.js';
import { partsOf } from '../src/ces/signed-record.js';
import { ExtractionNotAllowedError, InvalidEncodingError } from '../src/errors.js';
import { init } from '../src/pairing/index.js';
import { runs, testBlsAlg } from './helpers.js';

await init();

const KEYS: Record<SchemeName, SigningKey> = {
  'commit-vector': SigningKey.generate('ed25519'),
  'hash-tree': SigningKey.generate('p256'),
  aggregate: SigningKey.generate(testBlsAlg()),
  'sd-jwt': SigningKey.generate('ed25519'),
};

// ---- random JSON records ---------------------------------------------------------

const key = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.constantFrom('a.b', '', '__proto__', '~1', '/', 'x/y', 'ü.é', '0', '12', 'constructor', '𝄞'),
);
const primitive = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const { tree } = fc.letrec<{ tree: JsonValue }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitive,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc
      .uniqueArray(fc.tuple(key, tie('tree')), { maxLength: 5, selector: (e) => e[0] })
      .map((es) => Object.fromEntries(es) as JsonValue),
  ),
}));
/** Records with an object root, like FHIR resources. */
const record = fc
  .uniqueArray(fc.tuple(key, tree), { minLength: 1, maxLength: 6, selector: (e) => e[0] })
  .map((es) => Object.fromEntries(es) as JsonValue);

/** Leaves (primitives and empty containers) with their paths. */
function leaves(v: JsonValue, path: (string | number)[] = []): { path: (string | number)[]; value: JsonValue }[] {
  if (typeof v !== 'object' || v === null) return [{ path, value: v }];
  const entries: [string | number, JsonValue][] = Array.isArray(v)
    ? v.map((x, i) => [i, x])
    : Object.keys(v).map((k) => [k, (v as Record<string, JsonValue>)[k] as JsonValue]);
  if (entries.length === 0) return [{ path, value: v }];
  return entries.flatMap(([k, x]) => leaves(x, [...path, k]));
}
/** Every node path of a record (for rules and selections). */
function nodes(v: JsonValue, path: (string | number)[] = []): (string | number)[][] {
  const out = [path];
  if (typeof v === 'object' && v !== null) {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) out.push(...nodes(v[i] as JsonValue, [...path, i]));
    } else
      for (const k of Object.keys(v))
        out.push(...nodes((v as Record<string, JsonValue>)[k] as JsonValue, [...path, k]));
  }
  return out;
}
const isContainer = (v: JsonValue) => typeof v === 'object' && v !== null;
/** Submessages: leaves, except that a non-empty container at a unit path is one submessage. */
function submessages(v: JsonValue, units: ClaimsPath[], path: (string | number)[] = []): Sub[] {
  const empty = !isContainer(v) || Object.keys(v as object).length === 0;
  if (empty || units.some((u) => same(u, path))) return [{ path, container: isContainer(v) }];
  const entries: [string | number, JsonValue][] = Array.isArray(v)
    ? v.map((x, i) => [i, x])
    : Object.keys(v as object).map((k) => [k, (v as Record<string, JsonValue>)[k] as JsonValue]);
  return entries.flatMap(([k, x]) => submessages(x, units, [...path, k]));
}
interface Sub {
  readonly path: ClaimsPath;
  readonly container: boolean;
}
function valueAt(v: JsonValue, path: ClaimsPath): JsonValue {
  let x: JsonValue = v;
  for (const s of path) x = (x as Record<string | number, JsonValue>)[s] as JsonValue;
  return x;
}
/**
 * Does pattern segment q name path segment s (docs/ces.md): a wildcard (null) names every
 * child, array element or object member; a digit segment names the index or the member.
 */
const segNames = (q: string | number | null, s: string | number | undefined) =>
  q === null || q === s || (s !== undefined && String(q) === String(s) && /^(0|[1-9][0-9]*)$/.test(String(q)));
const startsWith = (p: ClaimsPath, q: ClaimsPath) =>
  q.length <= p.length && q.every((s, i) => segNames(s as string | number | null, p[i]));
const same = (a: ClaimsPath, b: ClaimsPath) => a.length === b.length && startsWith(a, b);

/** The independent projection: keep selected leaves; arrays compacted in original order. */
function project(v: JsonValue, chosen: ClaimsPath[], path: (string | number)[] = []): JsonValue | undefined {
  if (chosen.some((c) => same(c, path))) return v;
  if (typeof v !== 'object' || v === null) return undefined;
  if (Array.isArray(v)) {
    const out = v.map((x, i) => project(x, chosen, [...path, i])).filter((x) => x !== undefined);
    return out.length === 0 ? undefined : (out as JsonValue);
  }
  const o: Record<string, JsonValue> = {};
  let any = false;
  for (const k of Object.keys(v)) {
    const x = project((v as Record<string, JsonValue>)[k] as JsonValue, chosen, [...path, k]);
    if (x !== undefined) {
      Object.defineProperty(o, k, { value: x, enumerable: true, writable: true, configurable: true });
      any = true;
    }
  }
  return any ? o : undefined;
}
/** JSON round trip: what a verifier can receive (-0 becomes 0). */
const norm = (v: JsonValue | undefined) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** The oracle of the rule semantics (rule paths are record nodes, possibly with wildcards). */
function allowed(
  rules: Required<Omit<ExtractionRules, 'id' | 'expression'>>,
  all: readonly Sub[],
  chosen: ClaimsPath[],
): boolean {
  const P = (x: unknown) => x as ClaimsPath;
  const isChosen = (l: Sub) => chosen.some((c) => same(c, l.path));
  // A submessage is relevant to R when R is a prefix of it, or when it is a unit/container R points into.
  const rel = (l: Sub, r: ClaimsPath) =>
    startsWith(l.path, r) ||
    (l.container && l.path.length <= r.length && l.path.every((s, i) => segNames(r[i] as never, s)));
  const disclosed = (r: ClaimsPath) => all.some((l) => isChosen(l) && rel(l, r));
  const full = (r: ClaimsPath) => all.filter((l) => rel(l, r)).every(isChosen);
  if (!rules.mandatory.every((r) => full(P(r)))) return false;
  if (rules.never.some((r) => disclosed(P(r)))) return false;
  for (const g of rules.groups) if (g.some((r) => disclosed(P(r))) && !g.every((r) => full(P(r)))) return false;
  for (const q of rules.requires) if (disclosed(P(q.if)) && !q.needs.every((r) => full(P(r)))) return false;
  for (const t of rules.thresholds) {
    const n = t.of.filter((r) => disclosed(P(r))).length;
    if (n < (t.atLeast ?? 0) || n > (t.atMost ?? t.of.length)) return false;
  }
  for (const f of rules.forbidden) if (f.every((r) => disclosed(P(r)))) return false;
  return true;
}

/** Build a presentation of exactly `chosen` leaves, bypassing the rule check in `extract`. */
function forceExtract(signed: SignedRecord, rec: JsonValue, chosen: ClaimsPath[]): Presentation {
  const p = partsOf(signed);
  const subs = splitRecord(rec, p.units);
  const slotOf = new Map<string, number>();
  p.paths.forEach((path, i) => {
    if (path) slotOf.set(JSON.stringify(path), i);
  });
  const bySlot = new Map(subs.map((s) => [slotOf.get(JSON.stringify(s.path)) as number, s]));
  const disclosed = new Set(chosen.map((c) => slotOf.get(JSON.stringify(c)) as number));
  const core = SCHEMES[p.header.scheme];
  const body = core.present(p.header, p.signature, p.slots, (i) => bySlot.get(i)!.bytes, disclosed);
  const entries: ParsedEntry[] = [...disclosed]
    .sort((a, b) => a - b)
    .map((index) => {
      const s = bySlot.get(index)!;
      const slot = p.slots[index]!;
      const salt = core.saltLen > 0 && slot.real ? slot.secret : new Uint8Array(0);
      return { index, salt, bytes: s.bytes, path: s.path, value: s.value };
    });
  return makePresentation({ ...p, entries, body, holder: undefined });
}

/** A record, a random subset of its leaves, and random rules over its node paths. */
const scenario = record.chain((rec) => {
  const ns = nodes(rec).filter((n) => n.length > 0);
  const containers = ns.filter((n) => {
    const v = valueAt(rec, n);
    return isContainer(v) && Object.keys(v as object).length > 0;
  });
  const unitsArb: fc.Arbitrary<ClaimsPath[]> =
    containers.length === 0 ? fc.constant([]) : fc.subarray(containers, { maxLength: Math.min(2, containers.length) });
  return unitsArb.chain((units) => {
    const subs = submessages(rec, units);
    const somePaths = (max: number) => fc.subarray(ns, { maxLength: Math.min(max, ns.length) });
    return fc.record({
      rec: fc.constant(rec),
      units: fc.constant(units),
      subs: fc.constant(subs),
      chosen: fc.subarray(subs.map((l) => l.path)),
      rules: fc.record({
        mandatory: somePaths(2),
        never: somePaths(2),
        groups: fc.array(fc.subarray(ns, { minLength: 1, maxLength: Math.min(3, ns.length) }), { maxLength: 2 }),
        requires: fc.array(
          fc.record({
            if: fc.constantFrom(...ns),
            needs: fc.subarray(ns, { minLength: 1, maxLength: Math.min(2, ns.length) }),
          }),
          { maxLength: 2 },
        ),
        thresholds: fc.array(
          fc
            .subarray(ns, { minLength: 1, maxLength: Math.min(3, ns.length) })
            .chain((of) =>
              fc
                .tuple(fc.nat(of.length), fc.nat(of.length))
                .map(([a, b]) => ({ of, atLeast: Math.min(a, b), atMost: Math.max(a, b) })),
            ),
          { maxLength: 1 },
        ),
        forbidden:
          ns.length < 2
            ? fc.constant([])
            : fc.array(fc.subarray(ns, { minLength: 2, maxLength: Math.min(3, ns.length) }), { maxLength: 1 }),
      }),
      scheme: fc.constantFrom<SchemeName>('commit-vector', 'hash-tree'),
      bucket: fc.constantFrom(1, 4),
      order: fc.constantFrom<'shuffled' | 'record'>('shuffled', 'record'),
    });
  });
});

/** Replace segments of the rule patterns by the wildcard, at random (seeded). */
function wildify<T>(rules: T, seed: number): T {
  let x = seed | 1;
  const coin = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % 3 === 0;
  };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v) && v.every((s) => typeof s === 'string' || typeof s === 'number'))
      return v.map((s) => (coin() ? null : s));
    if (Array.isArray(v)) return v.map(walk);
    // thresholds and forbidden count their patterns: two that become equal would be merged.
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(
        Object.entries(v).map(([k, y]) => [k, k === 'thresholds' || k === 'forbidden' ? y : walk(y)]),
      );
    return v;
  };
  return walk(rules) as T;
}
const wildScenario = scenario.chain((s) => fc.integer().map((seed) => ({ ...s, rules: wildify(s.rules, seed) })));

describe('random records and selections', () => {
  it('without rules: every selection verifies and discloses exactly the selected leaves', () => {
    fc.assert(
      fc.property(scenario, ({ rec, units, chosen, scheme, bucket, order }) => {
        const k = KEYS[scheme];
        const signed = sign(k, rec, { scheme, bucket, order, units });
        const p = extract(signed, rec, chosen);
        const r = verify(k.verifyKey(), p.toBytes());
        expect(r.valid).toBe(true);
        if (!r.valid) return;
        expect(r.disclosed).toEqual(norm(project(rec, chosen)));
        expect(r.claims.length).toBe(chosen.length);
      }),
      { numRuns: runs(60) },
    );
  });

  it('with rules: extract succeeds exactly for allowed selections; forced disallowed ones fail verify', () => {
    let allowedCount = 0;
    let refusedCount = 0;
    fc.assert(
      fc.property(scenario, ({ rec, units, subs, chosen, rules, scheme }) => {
        const k = KEYS[scheme];
        const signed = sign(k, rec, { scheme, units, rules: rules as ExtractionRules });
        const ok = allowed(rules as Required<Omit<ExtractionRules, 'id' | 'expression'>>, subs, chosen);
        if (ok) {
          allowedCount++;
          const r = verify(k.verifyKey(), extract(signed, rec, chosen).toBytes());
          expect(r.valid).toBe(true);
          expect(r.valid && r.disclosed).toEqual(norm(project(rec, chosen)));
        } else {
          refusedCount++;
          expect(() => extract(signed, rec, chosen)).toThrow(ExtractionNotAllowedError);
          const forced = forceExtract(signed, rec, chosen);
          expect(verify(k.verifyKey(), forced)).toEqual({ valid: false, reason: 'rules' });
          expect(verify(k.verifyKey(), forced.toBytes())).toEqual({ valid: false, reason: 'rules' });
        }
      }),
      { numRuns: runs(100) },
    );
    expect(allowedCount).toBeGreaterThan(0);
    expect(refusedCount).toBeGreaterThan(0);
  });

  it('with wildcard rules over arrays and objects: extract and verify agree with the oracle', () => {
    let allowedCount = 0;
    let refusedCount = 0;
    fc.assert(
      fc.property(wildScenario, ({ rec, units, subs, chosen, rules, scheme }) => {
        const k = KEYS[scheme];
        const signed = sign(k, rec, { scheme, units, rules: rules as ExtractionRules });
        const ok = allowed(rules as Required<Omit<ExtractionRules, 'id' | 'expression'>>, subs, chosen);
        if (ok) {
          allowedCount++;
          expect(verify(k.verifyKey(), extract(signed, rec, chosen).toBytes()).valid).toBe(true);
        } else {
          refusedCount++;
          expect(() => extract(signed, rec, chosen)).toThrow(ExtractionNotAllowedError);
          expect(verify(k.verifyKey(), forceExtract(signed, rec, chosen).toBytes())).toEqual({
            valid: false,
            reason: 'rules',
          });
        }
      }),
      { numRuns: runs(100) },
    );
    expect(allowedCount).toBeGreaterThan(0);
    expect(refusedCount).toBeGreaterThan(0);
  });

  it('aggregate: allowed selections verify, forced disallowed ones fail', () => {
    fc.assert(
      fc.property(scenario, ({ rec, units, subs, chosen, rules }) => {
        const k = KEYS.aggregate;
        const signed = sign(k, rec, { scheme: 'aggregate', units, rules: rules as ExtractionRules });
        const ok = allowed(rules as Required<Omit<ExtractionRules, 'id' | 'expression'>>, subs, chosen);
        const p = ok ? extract(signed, rec, chosen) : forceExtract(signed, rec, chosen);
        const r = verify(k.verifyKey(), p.toBytes());
        expect(r.valid).toBe(ok);
        if (r.valid) expect(r.disclosed).toEqual(norm(project(rec, chosen)));
      }),
      { numRuns: runs(12, { heavy: true }) },
    );
  });
});

describe('decoders never crash and never accept tampering', () => {
  const rec = { resourceType: 'Patient', name: [{ family: 'Doe' }], 'a.b': [1, { c: true }], e: {} };
  const fixtures = (['commit-vector', 'hash-tree', 'aggregate'] as const).map((scheme) => {
    const k = KEYS[scheme];
    const holder = SigningKey.generate('ed25519');
    const signed = sign(k, rec, { scheme, holderPublicKey: holder.verifyKey(), bucket: 8, rules: { never: ['/e'] } });
    const p = extract(signed, rec, ['/name', '/a.b/1'], { holder: { key: holder, audience: 'aud', nonce: 'n' } });
    return { scheme, k, signed: signed.toBytes(), p: p.toBytes() };
  });
  const decoders: [string, (b: Uint8Array) => unknown][] = [
    ['Presentation', (b) => Presentation.fromBytes(b)],
    ['SignedRecord', (b) => SignedRecord.fromBytes(b)],
    ['RuleSet', (b) => RuleSet.fromBytes(b)],
    ['VerifyKey', (b) => VerifyKey.fromBytes(b)],
    ['SigningKey', (b) => SigningKey.fromBytes(b)],
  ];
  /** Refused with InvalidEncodingError, or decoded to a value whose encoding is exactly `input`. */
  const refusedOrCanonical = (f: () => unknown, input: Uint8Array) => {
    let v: unknown;
    try {
      v = f();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidEncodingError);
      return;
    }
    expect((v as { toBytes(): Uint8Array }).toBytes()).toEqual(input);
  };

  it('random bytes: decoders throw InvalidEncodingError or succeed', () => {
    const prefixes = [[], [0xce, 2, 1], [0xce, 1, 1], [1, 0x11, 1], [1, 0x11, 2], [1, 0x11, 4], [1, 0x10, 2]];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...prefixes), (b, prefix) => {
        const bytes = Uint8Array.of(...prefix, ...b);
        for (const [, d] of decoders) refusedOrCanonical(() => d(bytes), bytes);
        refusedOrCanonical(
          () =>
            Presentation.fromJSON(
              JSON.stringify({ typ: 'bpds-ces-presentation', v: 1, data: Buffer.from(b).toString('base64url') }),
            ),
          b,
        );
      }),
      { numRuns: runs(300) },
    );
  });

  it('every truncation is refused with InvalidEncodingError', () => {
    for (const f of fixtures) {
      for (const [bytes, d] of [
        [f.p, (b: Uint8Array) => Presentation.fromBytes(b)],
        [f.signed, (b: Uint8Array) => SignedRecord.fromBytes(b)],
      ] as const) {
        const step = Math.max(1, Math.floor(bytes.length / 120));
        for (let n = 0; n < bytes.length; n += n < 64 ? 1 : step) {
          expect(() => d(bytes.subarray(0, n))).toThrow(InvalidEncodingError);
        }
        expect(() => d(Uint8Array.of(...bytes, 0))).toThrow(/trailing/);
      }
    }
  });

  it('bit flips of a presentation: InvalidEncodingError or valid: false, never valid', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1), fc.nat(), fc.nat(7), (which, pos, bit) => {
        const f = fixtures[which]!;
        const b = f.p.slice();
        const i = pos % b.length;
        b[i] = (b[i] as number) ^ (1 << bit);
        try {
          const r = verify(f.k.verifyKey(), b, { audience: 'aud', nonce: 'n' });
          expect(r.valid).toBe(false);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidEncodingError);
        }
      }),
      { numRuns: runs(120) },
    );
    // The untouched fixtures verify.
    for (const f of fixtures) expect(verify(f.k.verifyKey(), f.p, { audience: 'aud', nonce: 'n' }).valid).toBe(true);
  });

  it('bit flips of an aggregate presentation: InvalidEncodingError or valid: false', () => {
    const f = fixtures[2]!;
    fc.assert(
      fc.property(fc.nat(), fc.nat(7), (pos, bit) => {
        const b = f.p.slice();
        const i = pos % b.length;
        b[i] = (b[i] as number) ^ (1 << bit);
        try {
          expect(verify(f.k.verifyKey(), b, { audience: 'aud', nonce: 'n' }).valid).toBe(false);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidEncodingError);
        }
      }),
      { numRuns: runs(40, { heavy: true }) },
    );
  });
});

describe('expression rules (bpds/policy language over JSON Pointers)', () => {
  const rec: JsonValue = {
    resourceType: 'Observation',
    code: { text: 'HbA1c' },
    valueQuantity: { value: 6.9, unit: '%' },
    birthDate: '1984-03-17',
    address: [{ postalCode: '62704', city: 'Springfield' }, { postalCode: '10001' }],
  };
  const expression = '/resourceType and (not /valueQuantity or /code) and not (/birthDate and "/address/*/postalCode")';
  const ls = leaves(rec).map((l) => l.path);
  const disclosed = (chosen: ClaimsPath[], p: (string | number | null)[]) =>
    chosen.some((c) => p.length <= c.length && p.every((s, i) => (s === null ? typeof c[i] === 'number' : c[i] === s)));
  const oracle = (chosen: ClaimsPath[]) =>
    disclosed(chosen, ['resourceType']) &&
    (!disclosed(chosen, ['valueQuantity']) || disclosed(chosen, ['code'])) &&
    !(disclosed(chosen, ['birthDate']) && disclosed(chosen, ['address', null, 'postalCode']));

  it('is canonicalized into the digest and enforced at extract and verify', () => {
    const a = RuleSet.from({ expression });
    const b = RuleSet.from({
      expression: `not ("/address/*/postalCode" and /birthDate) and (/code or not /valueQuantity) and /resourceType`,
    });
    expect(a.digest).toEqual(b.digest);
    expect(RuleSet.fromBytes(a.toBytes()).digest).toEqual(a.digest);
    expect(() => RuleSet.from({ expression: '/a >= 3' })).toThrow(/numeric comparisons/);
    expect(() => RuleSet.from({ expression: '/a and (' })).toThrow();
    const scheme = 'commit-vector';
    const k = KEYS[scheme];
    const signed = sign(k, rec, { scheme, rules: { id: 'obs-expr', expression } });
    let yes = 0;
    let no = 0;
    fc.assert(
      fc.property(fc.subarray(ls), (chosen) => {
        if (oracle(chosen)) {
          yes++;
          expect(verify(k.verifyKey(), extract(signed, rec, chosen).toBytes()).valid).toBe(true);
        } else {
          no++;
          try {
            extract(signed, rec, chosen);
            expect.unreachable('expected ExtractionNotAllowedError');
          } catch (e) {
            expect(e).toBeInstanceOf(ExtractionNotAllowedError);
            expect((e as ExtractionNotAllowedError).rule).toMatch(/^expression\(/);
          }
          expect(verify(k.verifyKey(), forceExtract(signed, rec, chosen).toBytes())).toEqual({
            valid: false,
            reason: 'rules',
          });
        }
      }),
      { numRuns: runs(60) },
    );
    expect(yes).toBeGreaterThan(0);
    expect(no).toBeGreaterThan(0);
  });
});
