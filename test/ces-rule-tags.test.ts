// The per-entry rule-tag check of `verify`: each disclosed submessage's tag (which fullness
// patterns of the signed rules it falls under) must equal the tag the signer recorded in the
// signed header. A conforming signer always records `tagOf(rules, path)`, so the check only
// bites on a signer that does not conform (another implementation, a bug, or a dishonest
// issuer): its header would otherwise make the rule checks work from tags that contradict its
// own signed rules, e.g. a submessage left out of a `mandatory` pattern could be withheld. The
// verifier recomputes the tags from the signed rules and refuses a mismatch, so that a valid
// presentation always satisfies the signed rules as written. These tests build such
// non-conforming signatures through the internal signing steps (the holder cannot: the header
// is signed).
import { describe, expect, it } from 'vitest';
import { extract, type JsonValue, RuleSet, type SigningKey, SigningKey as SK, verify } from '../src/ces/index.js';
import { maskLength, tagOf } from '../src/ces/internal/commit.js';
import { DOC_ID_BYTES, encodeHeader, type Header } from '../src/ces/internal/header.js';
import { splitRecord } from '../src/ces/internal/record.js';
import { SCHEMES } from '../src/ces/internal/schemes.js';
import { slotDigest } from '../src/ces/sign.js';
import { makeSigned, type SignedRecord } from '../src/ces/signed-record.js';

const record = { resourceType: 'Observation', code: { text: 'troponin', system: 'loinc' }, note: 'x' } as JsonValue;
const rules = RuleSet.from({ id: 'obs', mandatory: ['/code'] });

/** `sign` in record order, letting `tamper` change the tags before the header is signed. */
function signWithTags(key: SigningKey, tamper: (tags: Map<number, Uint8Array>, paths: string[]) => void): SignedRecord {
  const subs = splitRecord(record, []);
  const items = subs.map((s) => s.bytes);
  const paths = subs.map((s) => s.path);
  const tags = new Map<number, Uint8Array>();
  subs.forEach((s, i) => {
    const t = tagOf(rules, s.path, s.container);
    if (t !== undefined) tags.set(i, t);
  });
  tamper(
    tags,
    paths.map((p) => `/${p.join('/')}`),
  );
  const header: Header = {
    scheme: 'commit-vector',
    alg: key.algorithm,
    documentId: new Uint8Array(DOC_ID_BYTES).fill(7),
    count: subs.length,
    issuedAt: 1_700_000_000,
    rulesId: 'obs',
    rulesDigest: rules.digest,
    holderKey: undefined,
    maskLen: maskLength(rules),
    tags,
  };
  const headerBytes = encodeHeader(header);
  const { slots, signature } = SCHEMES['commit-vector'].sign(key, headerBytes, header, items);
  return makeSigned({
    header,
    headerBytes,
    rules,
    units: [],
    recordDigest: slotDigest(items),
    signature,
    slots,
    paths,
  });
}

describe('CES verify: the disclosed entries carry the tags of the signed rules', () => {
  const key = SK.generate('ed25519');
  const all = ['/resourceType', '/code', '/note'];

  it('a conforming signature built the same way verifies (control)', () => {
    const s = signWithTags(key, () => {});
    const v = verify(key.verifyKey(), extract(s, record, all));
    expect(v.valid).toBe(true);
  });

  it('refuses a tag on an entry no fullness pattern covers', () => {
    const s = signWithTags(key, (tags, paths) => {
      tags.set(paths.indexOf('/note'), Uint8Array.of(1));
    });
    expect(verify(key.verifyKey(), extract(s, record, all))).toEqual({ valid: false, reason: 'rules' });
  });

  it('refuses a missing tag on an entry under a mandatory pattern', () => {
    const s = signWithTags(key, (tags, paths) => {
      tags.delete(paths.indexOf('/code/system'));
    });
    expect(verify(key.verifyKey(), extract(s, record, all))).toEqual({ valid: false, reason: 'rules' });
  });
});
