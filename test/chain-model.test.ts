import fc from 'fast-check';
import { expect, it } from 'vitest';
import { MemoryLedger, PURPOSES_OF_USE, type TxReceipt } from '../src/chain/index.js';
import { LedgerError } from '../src/errors.js';
import type { IndexRecord } from '../src/index-record/index.js';
import { toBase64url } from '../src/internal/bytes.js';
import { type Actor, actor, makeRecord, pk, tx, world } from './chain-fixture.js';
import { runs } from './helpers.js';

// Random sequences of transactions by random actors: only LedgerErrors are thrown, the chain
// always verifies, and replaying its JSON Lines rebuilds exactly the same state.
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
  const total = { accepted: 0, ops: 0 };
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
      let accepted = 0;
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
          case 'grantPolicy':
            p = w.ledger.submit(
              tx(by, 'grantAccess', {
                recordId,
                grantee: o.kind === 'grant' ? { requester: target.id } : { policy: 'role:doctor or dept:er' },
                ...(o.fields ? { fields: o.fields } : {}),
                ...(o.n % 3 === 0 ? { purposes: [o.purpose] } : {}),
                ...(o.n % 4 === 0 ? { expiresAt: new Date(w.clock.t + o.n * 1000 + 1000).toISOString() } : {}),
              }),
            );
            p.then(
              (rc) => grants.push(rc.txId),
              () => undefined,
            );
            break;
          case 'revoke':
            p = w.ledger.submit(
              tx(by, 'revokeAccess', {
                grantId: grants[o.n % Math.max(1, grants.length)] ?? toBase64url(new Uint8Array(32)),
              }),
            );
            break;
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
            p = w.ledger.submit(tx(target, 'registerPatient', { id: target.id, publicKey: pk(target) }));
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
          if (rc.decision?.granted) {
            // A granted decision is backed by a live grant or by break-glass for an emergency requester.
            if (rc.decision.reason === 'BREAK_GLASS')
              expect((await w.ledger.getParty(rc.decision.requester))?.emergency).toBe(true);
            else {
              const g = (await w.ledger.getPermissions(rc.decision.recordId)).find(
                (x) => x.grantId === rc.decision?.grantId,
              );
              expect(g?.revokedAt).toBeUndefined();
            }
          }
        }
      }
      total.accepted += accepted;
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
    { numRuns: runs(15) },
  );
  // The generator reaches the accepting paths, not only rejections.
  expect(total.accepted).toBeGreaterThan(total.ops / 25);
});
