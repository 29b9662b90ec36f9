/**
 * Index records and ledger suite: canonical hashing of a typical index record
 * (bpds/index-record: validation + RFC 8785 JCS + tagged SHA-256) against the
 * `canonicalize` package + SHA-256 in the same run; signing, verification and
 * strict parsing of the record; MemoryLedger signed transactions per second with
 * signature verification.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { load } from '../lib/load.js';
import { installedVersion } from '../lib/machine.js';
import { timingFields } from '../lib/measure.js';
import type { Context, Suite } from '../lib/types.js';
import { runLedger } from './ledger.js';

interface IndexRecordApi {
  generateSigningKey(): { secretKey: Uint8Array; publicKey: Uint8Array };
  createRecord(input: Record<string, unknown>): Record<string, unknown>;
  signRecord(record: unknown, secretKey: Uint8Array): Record<string, unknown>;
  verifyRecord(record: unknown, publicKey: Uint8Array): boolean;
  recordDigest(record: unknown): Uint8Array;
  canonicalize(record: unknown): string;
  parseRecord(json: string): unknown;
}

const bytes32 = (seed: number) => Uint8Array.from({ length: 32 }, (_, i) => (seed * 31 + i * 7) & 0xff);

/** A typical index record: every field filled, three keyword tags, a previous-record link. */
function typicalRecord(api: IndexRecordApi, hospital: { publicKey: Uint8Array; secretKey: Uint8Array }) {
  const draft = api.createRecord({
    patient: 'pseud:8b1f0c2e-4d2a-4a57-9f3e-0b6c1d7e9a21',
    hospitalId: 'hospital:lyon-croix-rousse',
    hospitalPublicKey: hospital.publicKey,
    ciphertext: new Uint8Array(4096).fill(7),
    scheme: 'fame',
    locator: 'bpds-blob:sha256:9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d0f',
    policyDigest: bytes32(1),
    cesHeaderDigest: bytes32(2),
    keywords: ['cardiology', 'observation', 'lab'],
    previous: bytes32(3),
    createdAt: new Date('2026-11-24T09:30:00Z'),
  });
  return api.signRecord(draft, hospital.secretKey);
}

function unsigned(record: Record<string, unknown>): Record<string, unknown> {
  const { signature: _s, ...rest } = record;
  return rest;
}

async function runIndexRecords(ctx: Context): Promise<void> {
  const ir = await load<IndexRecordApi>('src/index-record/index.js', [
    'generateSigningKey',
    'createRecord',
    'signRecord',
    'verifyRecord',
    'recordDigest',
    'canonicalize',
    'parseRecord',
  ]);
  if (!ir.ok) return ctx.note(`records: index records skipped: ${ir.reason}`);
  const api = ir.mod;
  const hospital = api.generateSigningKey();
  const record = typicalRecord(api, hospital);
  const text = api.canonicalize(record);
  const size = new TextEncoder().encode(api.canonicalize(unsigned(record))).length;
  const rec = (
    scheme: string,
    op: string,
    t: ReturnType<Context['measure']['sync']>,
    note: string | null,
    b: number | null = size,
  ) =>
    ctx.record({
      suite: 'records',
      scheme,
      op,
      ...timingFields(t),
      bytes: b,
      note,
    });
  if (!api.verifyRecord(record, hospital.publicKey)) throw new Error('index record: signature does not verify');

  let ours: number | null = null;
  if (ctx.wants('bpds/index-record', 'canonical hash')) {
    ctx.progress.step('records canonical hash (bpds)');
    const t = ctx.measure.sync(() => api.recordDigest(record), { budgetScale: 0.5 });
    ours = t.median;
    rec(
      'bpds/index-record',
      'canonical hash',
      t,
      'recordDigest: validation + JCS + tagged SHA-256; bytes: canonical form',
    );
  }
  const canonVersion = installedVersion('canonicalize');
  if (canonVersion === null) {
    ctx.note('records: canonicalize peer skipped (package not installed)');
  } else if (ctx.wants('canonicalize', 'canonical hash')) {
    const canonicalize = ((await import('canonicalize')) as { default: (v: unknown) => string | undefined }).default;
    const plain = unsigned(record);
    const enc = new TextEncoder();
    const peer = () => sha256(enc.encode(canonicalize(plain) ?? ''));
    ctx.progress.step('records canonical hash (canonicalize + SHA-256)');
    const t = ctx.measure.sync(peer, { budgetScale: 0.5 });
    rec(
      'canonicalize',
      'canonical hash',
      t,
      `canonicalize ${canonVersion} + SHA-256 (no validation)${ours === null ? '' : `; bpds / peer: ${(ours / t.median).toFixed(2)}x`}`,
    );
  }
  if (ctx.wants('bpds/index-record', 'sign record')) {
    ctx.progress.step('records sign');
    const draft = unsigned(record);
    rec(
      'bpds/index-record',
      'sign record',
      ctx.measure.sync(() => api.signRecord(draft, hospital.secretKey)),
      'Ed25519',
    );
  }
  if (ctx.wants('bpds/index-record', 'verify record')) {
    ctx.progress.step('records verify');
    rec(
      'bpds/index-record',
      'verify record',
      ctx.measure.sync(() => api.verifyRecord(record, hospital.publicKey)),
      'Ed25519',
    );
  }
  if (ctx.wants('bpds/index-record', 'parse record')) {
    ctx.progress.step('records parse');
    rec(
      'bpds/index-record',
      'parse record',
      ctx.measure.sync(() => api.parseRecord(text)),
      'strict JSON + validation',
      text.length,
    );
  }
}

export const recordsSuite: Suite = {
  name: 'records',
  title: 'Index records and ledger',
  async run(ctx) {
    await runIndexRecords(ctx);
    await runLedger(ctx);
  },
};
