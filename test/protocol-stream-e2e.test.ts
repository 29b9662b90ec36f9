/**
 * A large record end to end as a stream: hospital → S3 (s3rver on 127.0.0.1) → reader,
 * never whole in memory on either side (Hospital.publishStream, Requester.accessStream),
 * with the failure cases a streamed read must turn into errors at the end: an object
 * corrupted or swapped by the provider, and a reader outside the policy.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hospital, ProtocolError, type Requester } from '../src/protocol/index.js';
import { S3BlobStore } from '../src/s3/index.js';
import { expectRefused, makeWorld, type World } from './protocol-helpers.js';
import { BUCKET, type S3TestServer, startS3 } from './s3-server.js';
import { drain, pseudoRandom, sameBytes, streamOf } from './stream-helpers.js';

const SIZE = 12 * 1024 * 1024 + 4321; // several S3 parts and ~190 STREAM segments
const manifest = {
  resourceType: 'DocumentReference',
  status: 'current',
  description: 'CT chest, 412 slices',
  content: [{ attachment: { contentType: 'application/dicom' } }],
};

let s3: S3TestServer;
let w: World;
let store: S3BlobStore;
let hospital: Hospital;
let radiologist: Requester;
const study = pseudoRandom(SIZE, 42);
let recordId: string;
let locator: string;

beforeAll(async () => {
  s3 = await startS3();
  w = await makeWorld();
  store = new S3BlobStore({
    client: s3.client(),
    bucket: BUCKET,
    prefix: 'e2e/',
    conditionalWrites: false,
    partSize: 5 * 1024 * 1024,
    retries: 1,
    retryBaseDelayMs: 5,
  });
  hospital = new Hospital({ id: 'st-luke', ledger: w.ledger, store, publicKey: w.authority.publicKey });
  await w.authority.registerHospital(w.ledger, hospital.identity);
  radiologist = await w.requester('dr-ray', ['dept:radiology', 'role:doctor'], { store });
  const published = await hospital.publishStream({
    patient: w.patient.id,
    policy: 'dept:radiology and role:doctor',
    record: manifest,
    content: streamOf(study, [100_000, 1 << 20, 7]),
  });
  recordId = published.recordId;
  locator = published.locator;
  await w.patient.grant({ recordId, to: { policy: 'dept:radiology' }, purposes: ['TREAT'] });
});
afterAll(async () => {
  await s3?.stop();
});

describe('a large record as a stream through S3', () => {
  it('the index record names the streamed ciphertext; the reader gets the verified record and study', async () => {
    const index = await w.ledger.getRecord(recordId);
    expect(index?.ciphertext.size).toBeGreaterThan(SIZE);
    const { record, report, content } = await radiologist.accessStream({ recordId, purpose: 'TREAT' });
    expect(record).toEqual(manifest);
    expect(report.signedBy.hospital).toBe('st-luke');
    expect(report.access.reason).toBe('GRANTED');
    const r = await drain(content);
    expect(r.error).toBeUndefined();
    expect(sameBytes(r.bytes, study)).toBe(true);
  });

  it('access() (whole-buffer) refuses a streamed record', async () => {
    // the formats never mix: the whole-buffer reader refuses a streamed ciphertext
    await expectRefused(radiologist.access({ recordId, purpose: 'TREAT' }), 'decrypt');
  });

  it('a reader outside the policy is refused before any content', async () => {
    const nurse = await w.requester('nurse-ot', ['dept:oncology', 'role:nurse'], { store });
    await w.patient.grant({ recordId, to: { requester: 'nurse-ot' }, purposes: ['TREAT'] });
    await expectRefused(nurse.accessStream({ recordId, purpose: 'TREAT' }), 'decrypt', 'POLICY_NOT_SATISFIED');
  });

  it('a corrupted object: the content stream errors, never closes, and what came before is a prefix', async () => {
    const path = s3.objectPath(store.keyOf(locator));
    const original = await readFile(path);
    try {
      const bad = new Uint8Array(original);
      bad[bad.length - 5000] = (bad[bad.length - 5000] as number) ^ 1;
      await writeFile(path, bad);
      const { content } = await radiologist.accessStream({ recordId, purpose: 'TREAT' });
      const r = await drain(content);
      expect(r.error).toBeInstanceOf(ProtocolError);
      expect(['decrypt', 'blob-integrity', 'ciphertext-digest']).toContain((r.error as ProtocolError).step);
      expect(r.bytes.length).toBeLessThan(SIZE);
      expect(sameBytes(r.bytes, study.subarray(0, r.bytes.length))).toBe(true);
    } finally {
      await writeFile(path, original);
    }
  });

  it("another record's ciphertext under the locator is refused before any content", async () => {
    const other = await hospital.publishStream({
      patient: w.patient.id,
      policy: 'dept:radiology and role:doctor',
      record: manifest,
      content: streamOf(pseudoRandom(100_000, 9)),
    });
    const path = s3.objectPath(store.keyOf(locator));
    const original = await readFile(path);
    try {
      await copyFile(s3.objectPath(store.keyOf(other.locator)), path);
      // bound to another record id (associated data): the first segment fails before the envelope,
      // unless the (short) object has already ended and failed its address check
      let error: unknown;
      try {
        await radiologist.accessStream({ recordId, purpose: 'TREAT' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ProtocolError);
      expect(['decrypt/DECRYPTION_FAILED', 'blob-integrity/BLOB_CORRUPT']).toContain(
        `${(error as ProtocolError).step}/${(error as ProtocolError).reason}`,
      );
    } finally {
      await writeFile(path, original);
    }
    const again = await radiologist.accessStream({ recordId, purpose: 'TREAT' });
    expect(sameBytes((await drain(again.content)).bytes, study)).toBe(true);
  });
});
