import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import {
  canonicalize,
  cesHeaderDigest,
  createRecord,
  getPublicKey,
  parseRecord,
  recordDigest,
  signRecord,
  verifyRecord,
} from '../src/index-record/index.js';
import { fromBase64url, fromHex, toHex, utf8 } from '../src/internal/bytes.js';
import { taggedHash } from '../src/internal/tagged-hash.js';
import { parsePolicy, policyDigest } from '../src/policy/index.js';

const doc = readFileSync(new URL('../docs/index-record.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('## 6. Worked example'), doc.indexOf('## 7.'));

function block(lang: string): string {
  const m = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\\n\`\`\``).exec(section);
  if (m === null) throw new Error(`no ${lang} block in the worked example`);
  return m[1] as string;
}

it('docs/index-record.md worked example: record, canonical bytes, digest and signature', () => {
  const sk = fromHex(/secret key \(Ed25519 seed, hex\) `([0-9a-f]{64})`/.exec(section)?.[1] ?? '');
  const pk = getPublicKey(sk);
  expect(section).toContain(`public key \`${toHex(fromBase64url(pk))}\``);
  const record = signRecord(
    createRecord({
      patient: 'pt-3f9c1a7e',
      hospitalId: 'st-mary-hospital',
      hospitalPublicKey: pk,
      ciphertext: utf8('example ciphertext bytes'),
      scheme: 'fame',
      locator: 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi',
      policyDigest: policyDigest(parsePolicy('dept:cardiology and role:doctor')),
      cesHeaderDigest: cesHeaderDigest(utf8('example CES header')),
      keywords: ['cardiology', 'discharge-summary'],
      previous: taggedHash('bpds/v1/index-record', utf8('example previous record')),
      createdAt: new Date('2026-11-24T20:00:00Z'),
      recordId: Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i),
    }),
    sk,
  );
  expect(JSON.parse(block('json'))).toEqual(record);
  const parsed = parseRecord(block('json'));
  expect(parsed).toEqual(record);
  const { signature: _s, ...unsigned } = record;
  expect(canonicalize(unsigned)).toBe(block('text'));
  const digest = /Record digest \(hex\): `([0-9a-f]{64})`/.exec(section)?.[1];
  expect(toHex(recordDigest(parsed))).toBe(digest);
  expect(verifyRecord(parsed, pk)).toBe(true);
});
