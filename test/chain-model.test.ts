import fc from 'fast-check';
import { expect, it } from 'vitest';
import { MemoryLedger, PURPOSES_OF_USE, type TxReceipt } from '../src/chain/index.js';
import { LedgerError } from '../src/errors.js';
import type { IndexRecord } from '../src/index-record/index.js';
import { toBase64url } from '../src/internal/bytes.js';
import { type Actor, actor, makeRecord, patientBody, tx, world } from './chain-fixture.js';
import { runs } from './helpers.js';

// Random sequences of transactions by random actors: only LedgerErrors are thrown, the chain
// always verifies, replaying its JSON Lines rebuilds exactly the same state, and every access
// decision and permission list equals the one of an independent model written here from the
// rules of docs/ledger.md §3 (first live matching grant in grant order; else break-glass for
// ETREAT by an emergency requester; else a denial).

/** The requesters of the fixture and their registered attributes (chain-fixture.ts). */
const ATTRS: Record<string, { attrs: readonly string[]; emergency: boolean }> = {
  'dr-house': { attrs: ['role:doctor', 'dept:cardiology'], emergency: false },
  'nurse-joy': { attrs: ['role:nurse', 'dept:er'], emergency: false },
  'er-doc': { attrs: ['role:doctor', 'dept:er'], emergency: true },
};
/** The grant policies the generator uses (in canonical text, as stored), each with its meaning written out by hand. */
const POLICIES: Record<string, (a: readonly string[]) => boolean> = {
  'dept:er or role:doctor': (a) => a.includes('role:doctor') || a.includes('dept:er'),
  'dept:cardiology and role:doctor': (a) => a.includes('role:doctor') && a.includes('dept:cardiology'),
  'role:nurse': (a) => a.includes('role:nurse'),
};
const POLICY_TEXTS = Object.keys(POLICIES);

interface ModelGrant {
  grantId: string;
  recordId: string;
  grantee: { requester: string } | { policy: string };
  fields?: string[];
  purposes?: string[];
  expiresAt?: string;
  revoked: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function modelDecision(
  grants: readonly ModelGrant[],
  b: { recordId: string; requester: string; purpose: string; fields?: string[] },
  requestId: string,
  nowMs: number,
): Record<string, unknown> {
  const who = ATTRS[b.requester];
  if (who === undefined) throw new Error(`model: unknown requester ${b.requester}`);
  const base = { requestId, recordId: b.recordId, requester: b.requester, purpose: b.purpose, decidedAt: iso(nowMs) };
  for (const g of grants) {
    if (g.recordId !== b.recordId || g.revoked) continue;
    if (g.expiresAt !== undefined && Date.parse(g.expiresAt) <= nowMs) continue;
    const ok = 'requester' in g.grantee ? g.grantee.requester === b.requester : POLICIES[g.grantee.policy]!(who.attrs);
    if (!ok) continue;
    if (g.purposes !== undefined && !g.purposes.includes(b.purpose)) continue;
    if (b.fields !== undefined && g.fields !== undefined && !b.fields.every((x) => g.fields!.includes(x))) continue;
    const fields = b.fields ?? g.fields;
    return {
      ...base,
      granted: true,
      reason: 'GRANTED',
      grantId: g.grantId,
      ...(fields === undefined ? {} : { fields }),
      ...(g.expiresAt === undefined ? {} : { expiresAt: g.expiresAt }),
    };
  }
  if (b.purpose === 'ETREAT') {
    if (!who.emergency) return { ...base, granted: false, reason: 'EMERGENCY_NOT_AUTHORIZED' };
    return {
      ...base,
      granted: true,
      reason: 'BREAK_GLASS',
      expiresAt: iso(nowMs + 3600_000),
      ...(b.fields === undefined ? {} : { fields: b.fields }),
    };
  }
  return { ...base, granted: false, reason: 'NO_MATCHING_GRANT' };
}
const op = fc.record({
  kind: fc.constantFrom('publish', 'grant', 'grantPolicy', 'revoke', 'request', 'custodian', 'uncustodian', 'register'),
  by: fc.nat(7),
  target: fc.nat(7),
  n: fc.nat(1000),
  purpose: fc.constantFrom(...PURPOSES_OF_USE),
  fields: fc.option(fc.subarray(['/a', '/b', '/c'], { minLength: 1 }), { nil: undefined }),
  advance: fc.nat(7200),
});

it('random transaction sequences keep the ledger consistent and replayable', async () => {
  const total = { accepted: 0, decided: 0, ops: 0 };
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
      const w = await world();
      const people: Actor[] = [
        w.authority,
        w.hospital,
        w.patient,
        w.doctor,
        w.nurse,
        w.er,
        w.parent,
        actor('stranger'),
      ];
      const records: IndexRecord[] = [];
      const grants: string[] = [];
      const model: ModelGrant[] = [];
      let accepted = 0;
      let decided = 0;
      for (const o of ops) {
        w.clock.t += o.advance * 1000;
        const record = records[o.n % Math.max(1, records.length)];
        // Mostly the actor a rule expects, sometimes anyone: both paths get exercised.
        const likely: Record<string, Actor | undefined> = {
          publish: w.hospital,
          grant: record === undefined ? w.patient : people.find((x) => x.id === record.patient),
          grantPolicy: w.patient,
          revoke: w.patient,
          request: [w.doctor, w.nurse, w.er][o.n % 3],
          custodian: w.patient,
          uncustodian: w.patient,
        };
        const by = (o.by < 5 ? likely[o.kind] : undefined) ?? people[o.by]!;
        const target =
          o.kind === 'publish' && o.target < 5
            ? w.patient
            : o.kind === 'grant' && o.target < 5
              ? w.doctor
              : people[o.target]!;
        const recordId = record?.recordId ?? toBase64url(new Uint8Array(16));
        let p: Promise<TxReceipt>;
        switch (o.kind) {
          case 'publish': {
            const head = await w.ledger.getRecordHead(target.id);
            const r = makeRecord(by, target.id, head, o.n);
            p = w.ledger.submit(tx(by, 'publishRecord', { record: r }));
            p.then(
              () => records.push(r),
              () => undefined,
            );
            break;
          }
          case 'grant':
          case 'grantPolicy': {
            const body = {
              recordId,
              grantee:
                o.kind === 'grant'
                  ? { requester: target.id }
                  : { policy: POLICY_TEXTS[o.n % POLICY_TEXTS.length] as string },
              ...(o.fields ? { fields: o.fields } : {}),
              ...(o.n % 3 === 0 ? { purposes: [o.purpose] } : {}),
              ...(o.n % 4 === 0 ? { expiresAt: iso(w.clock.t + (o.n % 9) * 1000 + 1000) } : {}),
            };
            p = w.ledger.submit(tx(by, 'grantAccess', body));
            p.then(
              (rc) => {
                grants.push(rc.txId);
                model.push({ ...body, grantId: rc.txId, revoked: false });
              },
              () => undefined,
            );
            break;
          }
          case 'revoke': {
            const grantId = grants[o.n % Math.max(1, grants.length)] ?? toBase64url(new Uint8Array(32));
            p = w.ledger.submit(tx(by, 'revokeAccess', { grantId }));
            p.then(
              () => {
                const g = model.find((x) => x.grantId === grantId)!;
                expect(g.revoked).toBe(false); // the ledger refuses a second revocation
                g.revoked = true;
              },
              () => undefined,
            );
            break;
          }
          case 'request':
            p = w.ledger.submit(
              tx(by, 'requestAccess', { recordId, purpose: o.purpose, ...(o.fields ? { fields: o.fields } : {}) }),
            );
            break;
          case 'custodian':
          case 'uncustodian':
            p = w.ledger.submit(
              tx(by, o.kind === 'custodian' ? 'addCustodian' : 'removeCustodian', {
                patient: by.id,
                custodian: target.id,
              }),
            );
            break;
          case 'register':
            p = w.ledger.submit(tx(target, 'registerPatient', patientBody(target, w.hospital)));
            break;
        }
        const res = await p.then(
          (r) => r,
          (e: unknown) => e,
        );
        if (!(res instanceof LedgerError)) {
          accepted++;
          expect(res).toHaveProperty('txId');
          const rc = res as TxReceipt;
          if (o.kind === 'request') {
            decided++;
            expect(rc.decision).toEqual(
              modelDecision(
                model,
                { recordId, requester: by.id, purpose: o.purpose, ...(o.fields ? { fields: o.fields } : {}) },
                rc.txId,
                w.clock.t,
              ),
            );
          } else expect(rc.decision).toBeUndefined();
        } else if (o.kind === 'request' && ATTRS[by.id] !== undefined && record !== undefined) {
          expect.unreachable(`a registered requester's request for a known record was refused: ${res}`);
        }
      }
      // The permission lists, against the model's grants.
      for (const r of records) {
        const got = (await w.ledger.getPermissions(r.recordId)).map((g) => ({
          grantId: g.grantId,
          grantee: g.grantee,
          fields: g.fields,
          purposes: g.purposes,
          expiresAt: g.expiresAt,
          revoked: g.revokedAt !== undefined,
        }));
        const want = model
          .filter((g) => g.recordId === r.recordId)
          .map((g) => ({
            grantId: g.grantId,
            grantee: g.grantee,
            fields: g.fields,
            purposes: g.purposes,
            expiresAt: g.expiresAt,
            revoked: g.revoked,
          }));
        expect(got).toEqual(want);
      }
      total.accepted += accepted;
      total.decided += decided;
      total.ops += ops.length;
      w.ledger.seal();
      expect(w.ledger.verifyChain().ok).toBe(true);
      const again = await MemoryLedger.fromJsonLines(w.ledger.toJsonLines(), { expectedHead: w.ledger.head });
      for (const p of people) {
        expect(await again.getAuditLog(p.id)).toEqual(await w.ledger.getAuditLog(p.id));
        expect(await again.listRecords(p.id)).toEqual(await w.ledger.listRecords(p.id));
      }
      for (const r of records)
        expect(await again.getPermissions(r.recordId)).toEqual(await w.ledger.getPermissions(r.recordId));
    }),
    {
      numRuns: runs(15),
      // Always exercised, whatever the random sample: publish, grant, a granted request, a denied one.
      examples: [
        [
          [
            { kind: 'publish', by: 0, target: 0, n: 0, purpose: 'TREAT', fields: undefined, advance: 0 },
            { kind: 'grant', by: 0, target: 0, n: 1, purpose: 'TREAT', fields: undefined, advance: 1 },
            { kind: 'request', by: 0, target: 0, n: 0, purpose: 'TREAT', fields: undefined, advance: 1 },
            { kind: 'request', by: 0, target: 0, n: 1, purpose: 'HRESCH', fields: ['/a'], advance: 1 },
          ],
        ],
      ],
    },
  );
  // The generator reaches the accepting paths, not only rejections.
  expect(total.accepted).toBeGreaterThan(total.ops / 25);
  expect(total.decided).toBeGreaterThan(0);
});
