/** Record digest of an already-validated record, without re-validation (internal). */

import { fastTaggedHash as taggedHash } from '../../index-record/internal/hash.js';
import type { IndexRecord } from '../../index-record/record.js';
import { TAGS } from '../../index-record/tags.js';
import { canonicalBytes } from '../../internal/jcs.js';

/** Tagged SHA-256 of the canonical record without `signature`. */
export function recordDigestOf(record: IndexRecord): Uint8Array {
  const { signature: _s, ...rest } = record;
  return taggedHash(TAGS.indexRecord, canonicalBytes(rest));
}
