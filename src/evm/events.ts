/**
 * The contract's logs as `bpds/chain` ledger events. Every patient-related event has the patient's
 * key as its first indexed topic, so a patient's audit log is one `eth_getLogs` query. Internal.
 */
import { type Hex, type Log, parseEventLogs, toEventSelector } from 'viem';
import type { AccessDecision, DecisionReason, LedgerEvent, PurposeOfUse } from '../chain/types.js';
import { PURPOSES_OF_USE } from '../chain/types.js';
import { formatTimestamp } from '../index-record/internal/fields.js';
import { PERMISSIONS_ABI } from './artifact.js';
import { hexb64 } from './codec.js';

const REASONS: readonly DecisionReason[] = [
  'GRANTED',
  'BREAK_GLASS',
  'NO_MATCHING_GRANT',
  'EMERGENCY_NOT_AUTHORIZED',
  'PRESENTATION_REQUIRED',
];

/** Events whose first indexed topic is the patient. */
export const PATIENT_EVENTS = [
  'PatientRegistered',
  'RecordPublished',
  'CustodianAdded',
  'CustodianRemoved',
  'AccessGranted',
  'AccessRevoked',
  'AccessDecided',
  'BreakGlass',
] as const;

/** Topic 0 of each patient-indexed event. */
export const PATIENT_TOPICS: Hex[] = PATIENT_EVENTS.map((name) => {
  const e = PERMISSIONS_ABI.find((x) => x.type === 'event' && x.name === name);
  if (e === undefined) throw new Error(`event ${name} missing from the ABI`);
  return toEventSelector(e as never);
});

/** What converting logs needs from the ledger: party ids by key and block times. */
export interface EventContext {
  idOf(key: Hex): Promise<string>;
  timeOf(blockNumber: bigint): Promise<number>;
}

interface DecisionArgs {
  txId: Hex;
  seq: bigint;
  reason: number;
  purpose: number;
  grantId: Hex;
  expiresAt: string;
  hasFields: boolean;
  fields: readonly string[];
}

type Args = Record<string, unknown>;

/** The seq of the first log of the contract among `logs` (every log of one transaction has it). */
export function seqOf(logs: readonly Log[]): number | undefined {
  for (const l of parseEventLogs({ abi: PERMISSIONS_ABI, logs: logs as Log[] })) {
    const a = l.args as Args;
    const s = (a.decision as DecisionArgs | undefined)?.seq ?? (a.seq as bigint | undefined);
    if (s !== undefined) return Number(s);
  }
  return undefined;
}

/** Convert logs (in chain order, already filtered to the contract's address) into ledger events. */
export async function toLedgerEvents(logs: readonly Log[], ctx: EventContext, window: number): Promise<LedgerEvent[]> {
  const out: LedgerEvent[] = [];
  const decisions = new Map<string, AccessDecision>();
  for (const l of parseEventLogs({ abi: PERMISSIONS_ABI, logs: logs as Log[] })) {
    const a = l.args as Args;
    const ms = (await ctx.timeOf(l.blockNumber as bigint)) * 1000;
    const time = formatTimestamp(ms);
    const base = async (txId: Hex, seq: bigint, actor: Hex) => ({
      txId: hexb64(txId),
      seq: Number(seq),
      time,
      actor: await ctx.idOf(actor),
    });
    switch (l.eventName) {
      case 'PatientRegistered': {
        const id = await ctx.idOf(a.patient as Hex);
        out.push({
          type: 'PartyRegistered',
          party: id,
          patient: id,
          ...(await base(a.txId as Hex, a.seq as bigint, a.actor as Hex)),
        });
        break;
      }
      case 'PartyRegistered':
        out.push({
          type: 'PartyRegistered',
          party: await ctx.idOf(a.party as Hex),
          ...(await base(a.txId as Hex, a.seq as bigint, a.actor as Hex)),
        });
        break;
      case 'RecordPublished':
        out.push({
          type: 'RecordPublished',
          patient: await ctx.idOf(a.patient as Hex),
          recordId: hexb64(a.recordId as Hex),
          ...(await base(a.txId as Hex, a.seq as bigint, a.actor as Hex)),
        });
        break;
      case 'CustodianAdded':
      case 'CustodianRemoved':
        out.push({
          type: l.eventName,
          patient: await ctx.idOf(a.patient as Hex),
          party: await ctx.idOf(a.custodian as Hex),
          ...(await base(a.txId as Hex, a.seq as bigint, a.actor as Hex)),
        });
        break;
      case 'AccessGranted':
        out.push({
          type: 'AccessGranted',
          patient: await ctx.idOf(a.patient as Hex),
          recordId: hexb64(a.recordId as Hex),
          grantId: hexb64(a.txId as Hex),
          ...(await base(a.txId as Hex, a.seq as bigint, a.actor as Hex)),
        });
        break;
      case 'AccessRevoked': {
        const by = a.party as Hex;
        out.push({
          type: 'AccessRevoked',
          patient: await ctx.idOf(a.patient as Hex),
          recordId: hexb64(a.recordId as Hex),
          grantId: hexb64(a.grantId as Hex),
          ...(/^0x0+$/.test(by) ? {} : { party: await ctx.idOf(by) }),
          ...(await base(a.txId as Hex, a.seq as bigint, a.actor as Hex)),
        });
        break;
      }
      case 'AccessDecided': {
        const d = a.decision as DecisionArgs;
        const requester = await ctx.idOf(a.requester as Hex);
        const decision = toDecision(d, hexb64(a.recordId as Hex), requester, time, ms, window);
        decisions.set(decision.requestId, decision);
        out.push({
          type: 'AccessDecided',
          patient: await ctx.idOf(a.patient as Hex),
          recordId: decision.recordId,
          decision,
          ...(await base(d.txId, d.seq, a.requester as Hex)),
        });
        break;
      }
      case 'BreakGlass': {
        const requestId = hexb64(a.txId as Hex);
        const requester = await ctx.idOf(a.requester as Hex);
        const decision = decisions.get(requestId) ?? {
          granted: true,
          reason: 'BREAK_GLASS',
          requestId,
          recordId: hexb64(a.recordId as Hex),
          requester,
          purpose: 'ETREAT',
          expiresAt: formatTimestamp(Number(a.until as bigint) * 1000),
          decidedAt: time,
        };
        out.push({
          type: 'BreakGlass',
          patient: await ctx.idOf(a.patient as Hex),
          recordId: decision.recordId,
          decision,
          ...(await base(a.txId as Hex, a.seq as bigint, a.requester as Hex)),
        });
        break;
      }
      default:
        break; // RecordsAnchored concerns no patient: not a ledger event (as on MemoryLedger)
    }
  }
  return out;
}

function toDecision(
  d: DecisionArgs,
  recordId: string,
  requester: string,
  time: string,
  ms: number,
  window: number,
): AccessDecision {
  const reason = REASONS[d.reason] ?? 'NO_MATCHING_GRANT';
  const out: Record<string, unknown> = {
    requestId: hexb64(d.txId),
    recordId,
    requester,
    purpose: PURPOSES_OF_USE[d.purpose] as PurposeOfUse,
    decidedAt: time,
    granted: reason === 'GRANTED' || reason === 'BREAK_GLASS',
    reason,
  };
  if (reason === 'GRANTED') out.grantId = hexb64(d.grantId);
  if (d.hasFields) out.fields = [...d.fields];
  if (reason === 'GRANTED' && d.expiresAt !== '') out.expiresAt = d.expiresAt;
  if (reason === 'BREAK_GLASS') out.expiresAt = formatTimestamp(ms + window * 1000);
  return Object.freeze(out) as unknown as AccessDecision;
}
