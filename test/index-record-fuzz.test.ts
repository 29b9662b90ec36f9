import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BpdsError, InvalidArgumentError, InvalidEncodingError } from '../src/errors.js';
import {
  cesHeaderDigest,
  createRecord,
  generateSigningKey,
  keyFingerprint,
  MerkleProof,
  merkleProof,
  merkleRoot,
  parseRecord,
  recordDigest,
  serializeRecord,
  signRecord,
  validateRecord,
  verifyMerkleProof,
  verifyRecord,
} from '../src/index-record/index.js';
import { formatTimestamp, timestamp } from '../src/index-record/internal/fields.js';
import { equalBytes } from '../src/internal/bytes.js';
import { runs } from './helpers.js';

const hospital = generateSigningKey();
const record = signRecord(
  createRecord({
    patient: 'p-1',
    hospitalId: 'h-1',
    hospitalPublicKey: hospital.publicKey,
    ciphertext: new Uint8Array(10),
    scheme: 'waters11',
    locator: 'blob:x',
    policyDigest: new Uint8Array(32).fill(9),
    cesHeaderDigest: cesHeaderDigest(new Uint8Array(1)),
    keywords: ['a'],
  }),
  hospital.secretKey,
);
const text = serializeRecord(record);

const PATHS = [
  'version',
  'recordId',
  'patient',
  'hospital',
  'hospital.id',
  'hospital.keyFingerprint',
  'createdAt',
  'ciphertext',
  'ciphertext.digest',
  'ciphertext.size',
  'ciphertext.scheme',
  'locator',
  'policyDigest',
  'cesHeaderDigest',
  'keywords',
  'previous',
  'signature',
  'signature.alg',
  'signature.value',
  'extra',
  'hospital.extra',
];

function set(o: Record<string, unknown>, path: string, v: unknown): void {
  const [a, b] = path.split('.') as [string, string | undefined];
  if (b === undefined) o[a] = v;
  else (o[a] as Record<string, unknown>)[b] = v;
}

describe('malformed records', () => {
  it('a field set to a random value is rejected naming the field, or accepted only if still valid', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PATHS),
        fc.oneof(
          fc.jsonValue(),
          fc.string(),
          fc.integer(),
          fc.double(),
          fc.constantFrom(
            '',
            '2026-02-30T00:00:00Z',
            '2026-11-24T24:00:00Z',
            '2026-11-24 20:00:00Z',
            'A'.repeat(43),
            -1,
            2 ** 53,
          ),
        ),
        (path, v) => {
          const o = structuredClone(record) as unknown as Record<string, unknown>;
          set(o, path, v);
          let parsed: unknown;
          try {
            parsed = parseRecord(JSON.stringify(o));
          } catch (e) {
            expect(e).toBeInstanceOf(InvalidEncodingError);
            const msg = (e as Error).message;
            expect(msg.includes(`"${path}`) || msg.includes('JSON') || msg.includes(`"${path.split('.')[0]}`)).toBe(
              true,
            );
            return;
          }
          // Accepted: then it is a valid record, and the signature fails unless nothing changed.
          expect(verifyRecord(parsed as typeof record, hospital.publicKey)).toBe(
            JSON.stringify(parsed) === JSON.stringify(record),
          );
        },
      ),
      { numRuns: runs(400) },
    );
  });
  it('random mutations of the JSON text never crash and never pass verification', () => {
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(text.length), fc.string({ maxLength: 3 }), (i, n, ins) => {
        const t = text.slice(0, i) + ins + text.slice(i + (n % 4));
        if (t === text) return;
        try {
          const r = parseRecord(t);
          // Some edits keep the same record (e.g. whitespace); otherwise the signature breaks.
          expect(verifyRecord(r, hospital.publicKey)).toBe(
            equalBytes(recordDigest(r), recordDigest(record)) && r.signature.value === record.signature.value,
          );
        } catch (e) {
          expect(e).toBeInstanceOf(BpdsError);
        }
      }),
      { numRuns: runs(400) },
    );
  });
  it('rejects duplicate keys, lone surrogates, unsafe numbers and oversize text', () => {
    expect(() => parseRecord(text.replace('"version":1', '"version":1,"version":1'))).toThrow(
      /duplicate member name "version"/,
    );
    expect(() => parseRecord(text.replace('"patient":"p-1"', '"patient":"p-\\ud800"'))).toThrow(InvalidEncodingError);
    expect(() => parseRecord(text.replace('"size":10', '"size":9007199254740993'))).toThrow(InvalidEncodingError);
    expect(() => parseRecord(text.replace('"size":10', '"size":10.0'))).toThrow(InvalidEncodingError);
    expect(() => parseRecord(text.replace('"locator":"blob:x"', `"locator":"${'x'.repeat(20000)}"`))).toThrow(
      InvalidEncodingError,
    );
    expect(() => parseRecord(text.replace('"locator":"blob:x"', `"locator":"${'x'.repeat(2049)}"`))).toThrow(
      /"locator" longer than 2048/,
    );
    expect(() => parseRecord(text.replace('"patient":"p-1"', '"patient":"p\\n1"'))).toThrow(
      /"patient" contains a control character/,
    );
    expect(() => parseRecord(text.replace('"keywords":["a"]', '"keywords":["a","a"]'))).toThrow(
      /"keywords\[1\]" is a duplicate/,
    );
    expect(() => parseRecord(text.replace('"createdAt":"', '"createdAt":"x'))).toThrow(/"createdAt"/);
    expect(() => parseRecord(text.replace(/,"signature":\{[^}]*\}/, ''))).toThrow(/"signature" is missing/);
    expect(() => parseRecord(42 as unknown as string)).toThrow(InvalidArgumentError);
    expect(() => validateRecord(record, { signed: false })).toThrow(/"signature" is not a known field/);
  });
  it('createRecord checks its arguments by name', () => {
    expect(() => createRecord({ ...({} as Parameters<typeof createRecord>[0]) })).toThrow(/"patient"/);
    expect(() =>
      createRecord({
        patient: 'p',
        hospitalId: 'h',
        hospitalPublicKey: 'AAAA',
        ciphertext: new Uint8Array(1),
        scheme: 'fame',
        locator: 'l',
        policyDigest: new Uint8Array(32),
        cesHeaderDigest: new Uint8Array(32),
      }),
    ).toThrow(/"hospitalPublicKey" expected an Ed25519 public key as base64url text/);
  });
  it('an identity public key is accepted only as canonical base64url text of 32 bytes (fast-check)', () => {
    const good = generateSigningKey().publicKey;
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const texts = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc
        .record({ at: fc.nat(42), ch: fc.constantFrom(...B64, '=', '+', '/', ' ') })
        .map(({ at, ch }) => good.slice(0, at) + ch + good.slice(at + 1)),
      fc.constantFrom(`${good}=`, good.slice(1), `${good}A`, ` ${good}`),
    );
    fc.assert(
      fc.property(texts, (t) => {
        let fp: Uint8Array | undefined;
        try {
          fp = keyFingerprint(t as string);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidArgumentError);
          return;
        }
        // accepted: exactly the canonical 43-character text of 32 bytes
        expect(typeof t === 'string' && /^[A-Za-z0-9_-]{43}$/.test(t)).toBe(true);
        expect(Buffer.from(t as string, 'base64url').toString('base64url')).toBe(t);
        expect(fp).toHaveLength(32);
      }),
      { numRuns: runs(300) },
    );
  });
});

describe('Merkle batching', () => {
  const digestsArb = fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 40 });
  it('every leaf has a verifying proof; proofs fail for other leaves, roots, indexes', () => {
    fc.assert(
      fc.property(digestsArb, fc.nat(), (ds, k) => {
        const root = merkleRoot(ds);
        const i = k % ds.length;
        const p = merkleProof(ds, i);
        expect(verifyMerkleProof(root, ds[i]!, p, ds.length)).toBe(true);
        const q = MerkleProof.fromBytes(p.toBytes());
        expect(verifyMerkleProof(root, ds[i]!, q, ds.length)).toBe(true);
        const other = new Uint8Array(ds[i]!);
        other[0]! ^= 1;
        expect(verifyMerkleProof(root, other, p, ds.length)).toBe(false);
        expect(verifyMerkleProof(merkleRoot([...ds, other]), ds[i]!, p, ds.length + 1)).toBe(false);
        if (ds.length > 1) {
          const j = (i + 1) % ds.length;
          if (!equalBytes(ds[j]!, ds[i]!))
            expect(verifyMerkleProof(root, ds[i]!, new MerkleProof(j, ds.length, p.path), ds.length)).toBe(false);
        }
      }),
      { numRuns: runs(100) },
    );
  });
  it('root depends on order and count; leaves cannot pose as nodes', () => {
    const a = new Uint8Array(32).fill(1);
    const b = new Uint8Array(32).fill(2);
    expect(merkleRoot([a, b])).not.toEqual(merkleRoot([b, a]));
    expect(merkleRoot([a])).not.toEqual(merkleRoot([a, a]));
    expect(merkleRoot([])).toHaveLength(32);
    // A two-leaf root is not the root of a one-leaf tree whose leaf is that node's input.
    expect(merkleRoot([merkleRoot([a, b])])).not.toEqual(merkleRoot([a, b]));
  });
  it('rejects malformed proofs and arguments with typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        // Refused with InvalidEncodingError, or decoded to a proof that re-encodes to the same bytes.
        let proof: MerkleProof;
        try {
          proof = MerkleProof.fromBytes(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(BpdsError);
          expect(e).toBeInstanceOf(InvalidEncodingError);
          return;
        }
        expect(proof.toBytes()).toEqual(bytes);
      }),
      { numRuns: runs(300) },
    );
    expect(() => merkleRoot([new Uint8Array(31)])).toThrow(/"digests\[0\]" expected 32 bytes/);
    expect(() => merkleProof([], 0)).toThrow(InvalidArgumentError);
    expect(() => merkleProof([new Uint8Array(32)], 1)).toThrow(InvalidArgumentError);
    expect(() => MerkleProof.fromBytes(Uint8Array.of(2, 0, 0, 0, 0, 0, 0, 0, 1, 0))).toThrow(/unknown version/);
  });
});

describe('dependency rule', () => {
  it('index-record and chain never import src/pairing or mcl-wasm (transitively)', () => {
    const root = fileURLToPath(new URL('../src/', import.meta.url));
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(
        /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
      )) {
        const spec = (m[1] ?? m[2]) as string;
        expect(spec).not.toMatch(/mcl-wasm/);
        if (!spec.startsWith('.')) continue;
        const target = join(file, '..', spec.replace(/\.js$/, '.ts'));
        expect(target.startsWith(join(root, 'pairing')), `${file} imports ${spec}`).toBe(false);
        visit(target);
      }
    };
    for (const dir of ['index-record', 'chain']) {
      const walk = (d: string): void => {
        for (const f of readdirSync(d)) {
          const p = join(d, f);
          if (statSync(p).isDirectory()) walk(p);
          else if (p.endsWith('.ts')) visit(p);
        }
      };
      walk(join(root, dir));
    }
    expect(seen.size).toBeGreaterThan(10);
  });
});

describe('RFC 3339 timestamps', () => {
  it('accepts real UTC date-times and rejects impossible ones', () => {
    const ok = ['2026-11-24T20:00:00Z', '2024-02-29T00:00:00Z', '2000-02-29T23:59:59.999Z', '1970-01-01T00:00:00Z'];
    const bad = [
      '2023-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-01T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '2026-11-24T20:00:60Z',
      '2026-11-24T24:00:00Z',
      '2026-11-24t20:00:00z',
      '2026-11-24T20:00:00+00:00',
      '2026-11-24T20:00Z',
      '2026-11-24T20:00:00.Z',
    ];
    for (const t of ok) expect(timestamp(t, 'x', 'f')).toBe(Date.parse(t));
    for (const t of bad) expect(() => timestamp(t, 'x', 'f')).toThrow(InvalidEncodingError);
  });
  it('formatTimestamp round-trips through timestamp', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799999 }), (ms) => {
        expect(timestamp(formatTimestamp(ms), 'x', 'f')).toBe(ms);
      }),
      { numRuns: runs(300) },
    );
  });
});
