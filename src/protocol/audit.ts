/**
 * The patient's audit view (BPDS, Liu et al. 2018: every sharing decision is a
 * ledger transaction, so the patient can review who asked for what, who was
 * allowed, who was refused, and every emergency access).
 *
 * @module protocol/audit
 */
import type { LedgerEvent, LedgerEventType } from '../chain/index.js';

/** What happened, from the patient's point of view. */
export type AuditKind =
  | 'registered'
  | 'published'
  | 'granted'
  | 'revoked'
  | 'access-granted'
  | 'access-denied'
  | 'break-glass'
  | 'custodian-added'
  | 'custodian-removed';

/** One line of a patient's audit log. */
export interface AuditEntry {
  /** RFC 3339 time of the transaction. */
  readonly time: string;
  readonly kind: AuditKind;
  /** Who acted (hospital, patient, custodian, requester). */
  readonly actor: string;
  readonly recordId?: string;
  readonly grantId?: string;
  /** PurposeOfUse of a request. */
  readonly purpose?: string;
  /** The contract's reason for a decision (e.g. `NO_MATCHING_GRANT`). */
  readonly reason?: string;
  /** Position of the transaction in the ledger. */
  readonly seq: number;
  /** The transaction's id. */
  readonly txId: string;
}

/** Event types the patient's view shows (others, e.g. hospital-level anchoring, are left out). */
const KIND: Partial<Record<LedgerEventType, AuditKind>> = {
  PartyRegistered: 'registered',
  RecordPublished: 'published',
  CustodianAdded: 'custodian-added',
  CustodianRemoved: 'custodian-removed',
  AccessGranted: 'granted',
  AccessRevoked: 'revoked',
  BreakGlass: 'break-glass',
};

/**
 * Turn ledger events into audit entries, oldest first. A break-glass decision
 * appears once, as `'break-glass'`.
 *
 * @example
 * ```ts
 * import { toAuditEntries } from 'bpds/protocol';
 * console.log(toAuditEntries([])); // []
 * ```
 */
export function toAuditEntries(events: readonly LedgerEvent[]): AuditEntry[] {
  const out: AuditEntry[] = [];
  const breakGlassTx = new Set(events.filter((e) => e.type === 'BreakGlass').map((e) => e.txId));
  for (const e of events) {
    let kind = KIND[e.type];
    if (e.type === 'AccessDecided') {
      if (breakGlassTx.has(e.txId)) continue;
      kind = e.decision?.granted === true ? 'access-granted' : 'access-denied';
    }
    if (kind === undefined) continue;
    const d = e.decision;
    out.push({
      time: e.time,
      kind,
      actor: e.actor,
      seq: e.seq,
      txId: e.txId,
      ...(e.recordId === undefined ? {} : { recordId: e.recordId }),
      ...((e.grantId ?? d?.grantId) === undefined ? {} : { grantId: (e.grantId ?? d?.grantId) as string }),
      ...(d === undefined ? {} : { purpose: d.purpose, reason: d.reason }),
    });
  }
  return out;
}

/**
 * One readable line per entry, e.g.
 * `2026-11-24T20:00:00Z  access-denied  nurse-ito  TREAT  NO_MATCHING_GRANT  record 3q2…`.
 *
 * @example
 * ```ts
 * import { formatAuditLog } from 'bpds/protocol';
 * console.log(formatAuditLog([]).length); // 0
 * ```
 */
export function formatAuditLog(entries: readonly AuditEntry[]): string[] {
  return entries.map((e) =>
    [
      e.time,
      e.kind.padEnd(15),
      e.actor.padEnd(14),
      (e.purpose ?? '').padEnd(7),
      (e.reason ?? '').padEnd(21),
      e.recordId === undefined ? '' : `record ${e.recordId.slice(0, 8)}…`,
    ]
      .join('  ')
      .trimEnd(),
  );
}
