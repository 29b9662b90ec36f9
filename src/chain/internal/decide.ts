/**
 * The access decision of the BPDS permission contract (`docs/ledger.md` §3): the first live
 * grant that matches the requester, purpose and fields (a request without fields asks for the
 * whole record, which a field-limited grant never allows); else break-glass for ETREAT by an
 * emergency requester; else a denial whose reason says why (`PRESENTATION_REQUIRED` when only
 * a field-limited grant matched). Pure function of the grants and the request. Internal.
 */
import { formatTimestamp } from '../../index-record/internal/fields.js';
import { type Policy, satisfies } from '../../policy/index.js';
import { deepFreeze } from '../transaction.js';
import type { AccessDecision, Grant, Party, TxBodies } from '../types.js';

/** A grant as the contract stores it. */
export interface StoredGrant {
  grant: Grant;
  readonly policy: Policy | undefined;
  readonly expiresMs: number | undefined;
}

/**
 * How a grant answers a request: `'match'`, `'fields-limited'` (live, for this requester and
 * purpose, but limited to fields while the request asks for the whole record), or `false`.
 */
function matches(
  s: StoredGrant,
  requester: Party,
  b: TxBodies['requestAccess'],
  now: number,
): 'match' | 'fields-limited' | false {
  const g = s.grant;
  if (g.revokedAt !== undefined) return false;
  if (s.expiresMs !== undefined && s.expiresMs <= now) return false;
  if ('requester' in g.grantee) {
    if (g.grantee.requester !== requester.id) return false;
  } else if (s.policy === undefined || !satisfies(s.policy, requester.attributes)) {
    return false;
  }
  if (g.purposes !== undefined && !g.purposes.includes(b.purpose)) return false;
  if (g.fields !== undefined) {
    // A request without fields asks for the whole record: a field-limited grant never allows it.
    if (b.fields === undefined) return 'fields-limited';
    const allowed = new Set(g.fields);
    if (!b.fields.every((f) => allowed.has(f))) return false;
  }
  return 'match';
}

/** Decide a request against the record's grants (in grant order). */
export function decide(
  grants: readonly StoredGrant[],
  requester: Party,
  b: TxBodies['requestAccess'],
  at: { requestId: string; time: string; timeMs: number; breakGlassSeconds: number },
): AccessDecision {
  const base = {
    requestId: at.requestId,
    recordId: b.recordId,
    requester: requester.id,
    purpose: b.purpose,
    decidedAt: at.time,
  };
  let d: Record<string, unknown> | undefined;
  let limited = false;
  for (const s of grants) {
    const m = matches(s, requester, b, at.timeMs);
    if (m === 'fields-limited') limited = true;
    if (m !== 'match') continue;
    d = { ...base, granted: true, reason: 'GRANTED', grantId: s.grant.grantId };
    if (b.fields !== undefined) d.fields = [...b.fields]; // a whole-record grant answers either request
    if (s.grant.expiresAt !== undefined) d.expiresAt = s.grant.expiresAt;
    break;
  }
  if (d === undefined && b.purpose === 'ETREAT' && requester.emergency) {
    d = {
      ...base,
      granted: true,
      reason: 'BREAK_GLASS',
      expiresAt: formatTimestamp(at.timeMs + at.breakGlassSeconds * 1000),
    };
    if (b.fields !== undefined) d.fields = [...b.fields];
  }
  // The request is refused: say why. A field-limited grant used for a whole-record read is a refusal.
  if (d === undefined && limited) d = { ...base, granted: false, reason: 'PRESENTATION_REQUIRED' };
  if (d === undefined && b.purpose === 'ETREAT') d = { ...base, granted: false, reason: 'EMERGENCY_NOT_AUTHORIZED' };
  d ??= { ...base, granted: false, reason: 'NO_MATCHING_GRANT' };
  return deepFreeze(d as unknown as AccessDecision);
}
