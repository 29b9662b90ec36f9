import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LedgerEvent, MemoryLedger, parseTransaction, serializeTransaction, txId } from '../src/chain/index.js';
import { LedgerError } from '../src/errors.js';
import { merkleProof, merkleRoot, recordDigest, verifyMerkleProof } from '../src/index-record/index.js';
import { fromBase64url, toBase64url } from '../src/internal/bytes.js';
import { actor, CHAIN, makeRecord, patientBody, pk, publish, tx, type World, world } from './chain-fixture.js';
import { runs } from './helpers.js';

async function rejects(p: Promise<unknown>, reason: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(LedgerError);
  expect((e as LedgerError).reason).toBe(reason);
}

async function grant(
  w: World,
  recordId: string,
  body: Partial<Parameters<typeof tx<'grantAccess'>>[2]> = {},
  by = w.patient,
) {
  return w.ledger.submit(tx(by, 'grantAccess', { recordId, grantee: { requester: w.doctor.id }, ...body }));
}

describe('registration', () => {
  it('authorities register hospitals and requesters; others cannot', async () => {
    const w = await world();
    expect((await w.ledger.getParty(w.hospital.id))?.role).toBe('hospital');
    expect((await w.ledger.getParty(w.er.id))?.emergency).toBe(true);
    const h2 = actor('hospital-2');
    await rejects(
      w.ledger.submit(tx(w.hospital, 'registerHospital', { id: h2.id, publicKey: pk(h2) })),
      'UNAUTHORIZED_SIGNER',
    );
    await rejects(
      w.ledger.submit(tx(w.authority, 'registerHospital', { id: w.hospital.id, publicKey: pk(h2) })),
      'ALREADY_REGISTERED',
    );
    await rejects(w.ledger.submit(tx(h2, 'registerHospital', { id: h2.id, publicKey: pk(h2) })), 'UNKNOWN_ACTOR');
  });
  it('patients register themselves only, with their own key', async () => {
    const w = await world();
    const p = actor('patient-2');
    const q = actor('patient-3');
    const att = patientBody(p, w.hospital).attestation;
    await rejects(
      w.ledger.submit(tx(p, 'registerPatient', { id: p.id, publicKey: pk(q), attestation: att })),
      'UNAUTHORIZED_SIGNER',
    );
    await rejects(
      w.ledger.submit(tx(p, 'registerPatient', { id: q.id, publicKey: pk(p), attestation: att })),
      'UNAUTHORIZED_SIGNER',
    );
    await rejects(
      w.ledger.submit(tx(p, 'registerPatient', { id: w.patient.id, publicKey: pk(p), attestation: att })),
      'UNAUTHORIZED_SIGNER',
    );
    await w.ledger.submit(tx(p, 'registerPatient', patientBody(p, w.hospital)));
    await rejects(w.ledger.submit(tx(p, 'registerPatient', patientBody(p, w.hospital))), 'ALREADY_REGISTERED');
  });
});

describe('publishing index records', () => {
  it('a registered hospital publishes a chain of records for a patient', async () => {
    const w = await world();
    const r1 = await publish(w, 1);
    const r2 = await publish(w, 2);
    expect(r2.previous).toBe(toBase64url(recordDigest(r1)));
    expect(await w.ledger.getRecord(r1.recordId)).toEqual(r1);
    expect(await w.ledger.listRecords(w.patient.id)).toEqual([r1, r2]);
    expect((await w.ledger.getAuditLog(w.patient.id)).filter((e) => e.type === 'RecordPublished')).toHaveLength(2);
  });
  it('rejects wrong signers, forged records, unknown patients, duplicates and broken chains', async () => {
    const w = await world();
    const r1 = await publish(w, 1);
    // Another registered hospital cannot publish a record naming hospital-1.
    const h2 = actor('hospital-2');
    await w.ledger.submit(tx(w.authority, 'registerHospital', { id: h2.id, publicKey: pk(h2) }));
    const head = await w.ledger.getRecordHead(w.patient.id);
    await rejects(
      w.ledger.submit(tx(h2, 'publishRecord', { record: makeRecord(w.hospital, w.patient.id, head, 3) })),
      'UNAUTHORIZED_SIGNER',
    );
    // A record signed by h2 but naming hospital-1 (fingerprint mismatch).
    const forged = { ...makeRecord(w.hospital, w.patient.id, head, 4) };
    const byH2 = makeRecord(h2, w.patient.id, head, 4);
    await rejects(
      w.ledger.submit(tx(w.hospital, 'publishRecord', { record: { ...forged, signature: byH2.signature } })),
      'INVALID_RECORD',
    );
    // A requester cannot publish.
    await rejects(
      w.ledger.submit(tx(w.doctor, 'publishRecord', { record: makeRecord(w.hospital, w.patient.id, head, 5) })),
      'UNAUTHORIZED_SIGNER',
    );
    await rejects(
      w.ledger.submit(tx(w.hospital, 'publishRecord', { record: makeRecord(w.hospital, 'nobody', undefined, 6) })),
      'UNKNOWN_PATIENT',
    );
    await rejects(w.ledger.submit(tx(w.hospital, 'publishRecord', { record: r1 })), 'DUPLICATE_RECORD');
    await rejects(
      w.ledger.submit(tx(w.hospital, 'publishRecord', { record: makeRecord(w.hospital, w.patient.id, undefined, 7) })),
      'BROKEN_RECORD_CHAIN',
    );
    expect(await w.ledger.listRecords(w.patient.id)).toEqual([r1]);
  });
});

describe('Merkle batch anchoring', () => {
  it('a hospital anchors many records in one transaction; inclusion proofs verify against the anchor', async () => {
    const w = await world();
    const p2 = actor('patient-2');
    await w.ledger.submit(tx(p2, 'registerPatient', patientBody(p2, w.hospital)));
    const records = [1, 2, 3, 4, 5].map((n) => makeRecord(w.hospital, n % 2 ? w.patient.id : p2.id, undefined, n));
    const digests = records.map((r) => recordDigest(r));
    const root = toBase64url(merkleRoot(digests));
    const rc = await w.ledger.submit(tx(w.hospital, 'anchorRecords', { root, count: records.length }));
    const anchor = await w.ledger.getAnchor(root);
    expect(anchor).toMatchObject({ root, count: 5, hospital: w.hospital.id, txId: rc.txId });
    for (let i = 0; i < records.length; i++) {
      expect(
        verifyMerkleProof(
          fromBase64url(anchor!.root),
          recordDigest(records[i]!),
          merkleProof(digests, i),
          anchor!.count,
        ),
      ).toBe(true);
    }
    const outsider = recordDigest(makeRecord(w.hospital, w.patient.id, undefined, 9));
    expect(verifyMerkleProof(fromBase64url(root), outsider, merkleProof(digests, 0), 5)).toBe(false);
    await rejects(w.ledger.submit(tx(w.hospital, 'anchorRecords', { root, count: 5 })), 'DUPLICATE_ANCHOR');
    await rejects(
      w.ledger.submit(tx(w.doctor, 'anchorRecords', { root: toBase64url(new Uint8Array(32)), count: 1 })),
      'UNAUTHORIZED_SIGNER',
    );
    expect(() => tx(w.hospital, 'anchorRecords', { root, count: 0 })).toThrow(/"body.count"/);
    const good = tx(w.hospital, 'anchorRecords', { root: toBase64url(new Uint8Array(32).fill(1)), count: 2 });
    await rejects(w.ledger.submit({ ...good, body: { ...good.body, count: 0 } }), 'MALFORMED_TRANSACTION');
    expect(await w.ledger.getAnchor(toBase64url(new Uint8Array(32)))).toBeUndefined();
  });
});

describe('permissions', () => {
  it('only the patient or a custodian grants and revokes', async () => {
    const w = await world();
    const r = await publish(w);
    await rejects(grant(w, r.recordId, {}, w.doctor), 'UNAUTHORIZED_SIGNER');
    await rejects(grant(w, r.recordId, {}, w.parent), 'UNAUTHORIZED_SIGNER');
    await rejects(
      w.ledger.submit(tx(w.parent, 'addCustodian', { patient: w.patient.id, custodian: w.parent.id })),
      'UNAUTHORIZED_SIGNER',
    );
    await w.ledger.submit(tx(w.patient, 'addCustodian', { patient: w.patient.id, custodian: w.parent.id }));
    expect(await w.ledger.getCustodians(w.patient.id)).toEqual([w.parent.id]);
    await rejects(
      w.ledger.submit(tx(w.patient, 'addCustodian', { patient: w.patient.id, custodian: w.parent.id })),
      'ALREADY_CUSTODIAN',
    );
    await rejects(
      w.ledger.submit(tx(w.patient, 'addCustodian', { patient: w.patient.id, custodian: w.hospital.id })),
      'UNKNOWN_PARTY',
    );
    const g = await grant(w, r.recordId, {}, w.parent);
    expect((await w.ledger.getPermissions(r.recordId))[0]?.grantedBy).toBe(w.parent.id);
    await rejects(w.ledger.submit(tx(w.doctor, 'revokeAccess', { grantId: g.txId })), 'UNAUTHORIZED_SIGNER');
    await w.ledger.submit(tx(w.parent, 'revokeAccess', { grantId: g.txId }));
    await rejects(w.ledger.submit(tx(w.patient, 'revokeAccess', { grantId: g.txId })), 'ALREADY_REVOKED');
    await w.ledger.submit(tx(w.patient, 'removeCustodian', { patient: w.patient.id, custodian: w.parent.id }));
    await rejects(
      w.ledger.submit(tx(w.patient, 'removeCustodian', { patient: w.patient.id, custodian: w.parent.id })),
      'NOT_CUSTODIAN',
    );
    await rejects(grant(w, r.recordId, {}, w.parent), 'UNAUTHORIZED_SIGNER');
  });
  it('rejects unknown records, grants, grantees, bad policies and past expiry', async () => {
    const w = await world();
    const r = await publish(w);
    await rejects(grant(w, toBase64url(new Uint8Array(16))), 'UNKNOWN_RECORD');
    await rejects(grant(w, r.recordId, { grantee: { requester: 'nobody' } }), 'UNKNOWN_PARTY');
    await rejects(grant(w, r.recordId, { grantee: { policy: 'role:doctor and (' } }), 'INVALID_POLICY');
    await rejects(grant(w, r.recordId, { expiresAt: '2026-11-24T19:00:00Z' }), 'EXPIRED');
    await rejects(
      w.ledger.submit(tx(w.patient, 'revokeAccess', { grantId: toBase64url(new Uint8Array(32)) })),
      'UNKNOWN_GRANT',
    );
    await rejects(
      w.ledger.submit(tx(w.doctor, 'requestAccess', { recordId: toBase64url(new Uint8Array(16)), purpose: 'TREAT' })),
      'UNKNOWN_RECORD',
    );
    await rejects(
      w.ledger.submit(tx(w.patient, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT' })),
      'UNAUTHORIZED_SIGNER',
    );
  });
  it('decides by requester, purpose, fields and expiry', async () => {
    const w = await world();
    const r = await publish(w);
    const ask = async (who = w.doctor, purpose: 'TREAT' | 'HRESCH' | 'ETREAT' = 'TREAT', fields?: string[]) =>
      (
        await w.ledger.submit(
          tx(who, 'requestAccess', { recordId: r.recordId, purpose, ...(fields ? { fields } : {}) }),
        )
      ).decision!;
    expect((await ask()).reason).toBe('NO_MATCHING_GRANT');
    const g = await grant(w, r.recordId, {
      fields: ['/resourceType', '/diagnosis'],
      purposes: ['TREAT'],
      expiresAt: '2026-11-25T20:00:00Z',
    });
    const d = await ask(w.doctor, 'TREAT', ['/resourceType', '/diagnosis']);
    expect(d).toMatchObject({
      granted: true,
      reason: 'GRANTED',
      grantId: g.txId,
      fields: ['/resourceType', '/diagnosis'],
      expiresAt: '2026-11-25T20:00:00Z',
    });
    // A request without fields asks for the whole record: the field-limited grant refuses it.
    expect(await ask()).toMatchObject({ granted: false, reason: 'PRESENTATION_REQUIRED' });
    expect((await ask(w.doctor, 'TREAT', ['/diagnosis'])).fields).toEqual(['/diagnosis']);
    expect((await ask(w.doctor, 'TREAT', ['/ssn'])).granted).toBe(false);
    expect((await ask(w.doctor, 'HRESCH')).granted).toBe(false);
    expect((await ask(w.nurse)).granted).toBe(false);
    w.clock.t += 2 * 86_400_000;
    expect((await ask()).reason).toBe('NO_MATCHING_GRANT');
  });
  it('attribute-policy grants match requesters by their registered attributes', async () => {
    const w = await world();
    const r = await publish(w);
    const g = await grant(w, r.recordId, { grantee: { policy: 'role:doctor  and dept:cardiology' } });
    expect((await w.ledger.getPermissions(r.recordId))[0]?.grantee).toEqual({
      policy: 'dept:cardiology and role:doctor',
    });
    const req = async (who: typeof w.doctor) =>
      (await w.ledger.submit(tx(who, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT' }))).decision!;
    expect((await req(w.doctor)).grantId).toBe(g.txId);
    expect((await req(w.nurse)).granted).toBe(false);
    expect((await req(w.er)).granted).toBe(false);
  });
  it('revocation takes effect at once', async () => {
    const w = await world();
    const r = await publish(w);
    const g = await grant(w, r.recordId);
    const req = () => w.ledger.submit(tx(w.doctor, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT' }));
    expect((await req()).decision?.granted).toBe(true);
    await w.ledger.submit(tx(w.patient, 'revokeAccess', { grantId: g.txId }));
    expect((await req()).decision?.granted).toBe(false);
    expect((await w.ledger.getPermissions(r.recordId))[0]?.revokedAt).toBe('2026-11-24T20:00:00Z');
  });
  it('break-glass: emergency requesters only, time-limited, logged and visible to the patient', async () => {
    const w = await world();
    const r = await publish(w);
    const events: LedgerEvent[] = [];
    const off = w.ledger.subscribe((e) => events.push(e));
    const denied = (await w.ledger.submit(tx(w.nurse, 'requestAccess', { recordId: r.recordId, purpose: 'ETREAT' })))
      .decision!;
    expect(denied).toMatchObject({ granted: false, reason: 'EMERGENCY_NOT_AUTHORIZED' });
    const ok = (await w.ledger.submit(tx(w.er, 'requestAccess', { recordId: r.recordId, purpose: 'ETREAT' })))
      .decision!;
    expect(ok).toMatchObject({ granted: true, reason: 'BREAK_GLASS', expiresAt: '2026-11-24T21:00:00Z' });
    expect(events.map((e) => e.type)).toEqual(['AccessDecided', 'AccessDecided', 'BreakGlass']);
    const log = await w.ledger.getAuditLog(w.patient.id);
    expect(log.filter((e) => e.type === 'BreakGlass')).toHaveLength(1);
    expect(log.filter((e) => e.type === 'AccessDecided').map((e) => e.decision?.requester)).toEqual([
      w.nurse.id,
      w.er.id,
    ]);
    off();
    await w.ledger.submit(tx(w.er, 'requestAccess', { recordId: r.recordId, purpose: 'ETREAT' }));
    expect(events).toHaveLength(3);
  });
});

describe('transactions', () => {
  it('rejects replays, forged signatures, wrong chains and malformed transactions', async () => {
    const w = await world();
    const t = tx(w.patient, 'addCustodian', { patient: w.patient.id, custodian: w.parent.id });
    await w.ledger.submit(t);
    await rejects(w.ledger.submit(t), 'REPLAYED_NONCE');
    // Same content, fresh nonce, signed by someone else's key.
    const imp = tx({ id: w.patient.id, key: w.doctor.key }, 'removeCustodian', {
      patient: w.patient.id,
      custodian: w.parent.id,
    });
    await rejects(w.ledger.submit(imp), 'UNAUTHORIZED_SIGNER');
    // Signer field swapped to the patient's key: signature no longer verifies.
    await rejects(w.ledger.submit({ ...imp, signer: pk(w.patient) }), 'BAD_SIGNATURE');
    // Body altered after signing.
    const t2 = tx(w.patient, 'removeCustodian', { patient: w.patient.id, custodian: w.parent.id });
    await rejects(w.ledger.submit({ ...t2, nonce: toBase64url(new Uint8Array(16)) }), 'BAD_SIGNATURE');
    await rejects(
      w.ledger.submit(
        tx(w.patient, 'removeCustodian', { patient: w.patient.id, custodian: w.parent.id }, 'other-chain'),
      ),
      'WRONG_CHAIN',
    );
    await rejects(w.ledger.submit({ ...t2, extra: 1 } as never), 'MALFORMED_TRANSACTION');
    await w.ledger.submit(t2);
  });
  it('serialize/parse round trip and id', () => {
    const a = actor('patient-9');
    const t = tx(a, 'registerPatient', patientBody(a, actor('hospital-1')));
    const back = parseTransaction(serializeTransaction(t));
    expect(back).toEqual(t);
    expect(txId(back)).toBe(txId(t));
  });
  it('malformed transactions are rejected with a typed error, never accepted (fuzz)', async () => {
    const w = await world();
    const base = tx(w.patient, 'addCustodian', { patient: w.patient.id, custodian: w.parent.id }) as unknown as Record<
      string,
      unknown
    >;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(base)),
        fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.jsonValue()),
        async (k, v) => {
          fc.pre(JSON.stringify(v) !== JSON.stringify(base[k]));
          const e = await w.ledger.submit({ ...base, [k]: v } as never).then(
            () => undefined,
            (x: unknown) => x,
          );
          expect(e).toBeInstanceOf(LedgerError);
        },
      ),
      { numRuns: runs(60) },
    );
    expect(await w.ledger.getCustodians(w.patient.id)).toEqual([]);
  });
  it('concurrent submissions are applied in submission order', async () => {
    const w = await world();
    const r = await publish(w);
    const asks = Array.from({ length: 20 }, () =>
      w.ledger.submit(tx(w.doctor, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT' })),
    );
    const g = w.ledger.submit(
      tx(w.patient, 'grantAccess', { recordId: r.recordId, grantee: { requester: w.doctor.id } }),
    );
    const more = Array.from({ length: 20 }, () =>
      w.ledger.submit(tx(w.doctor, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT' })),
    );
    const rs = await Promise.all([...asks, g, ...more]);
    expect(rs.map((x) => x.seq)).toEqual(rs.map((_, i) => rs[0]!.seq + i));
    expect(rs.slice(0, 20).every((x) => x.decision?.granted === false)).toBe(true);
    expect(rs.slice(21).every((x) => x.decision?.granted === true)).toBe(true);
  });
});

describe('blocks and tamper detection', () => {
  it('blocks are hash-linked with Merkle roots; verifyChain detects tampering with any block', async () => {
    const w = await world();
    await publish(w, 1);
    w.ledger.seal();
    await publish(w, 2);
    await publish(w, 3);
    w.ledger.seal();
    expect(w.ledger.height).toBe(2);
    expect(w.ledger.verifyChain()).toEqual({ ok: true, height: w.ledger.height });
    const blocks = w.ledger.blocks as unknown as {
      header: Record<string, unknown>;
      entries: unknown[];
      hash: string;
    }[];
    for (let h = 0; h < blocks.length; h++) {
      const b = blocks[h]!;
      const tampers: Array<[() => void, () => void]> = [];
      const header = { ...b.header };
      tampers.push([
        () => {
          b.header.time = '2030-01-01T00:00:00Z';
        },
        () => {
          b.header = { ...header };
        },
      ]);
      tampers.push([
        () => {
          b.header.txCount = (b.header.txCount as number) + 1;
        },
        () => {
          b.header = { ...header };
        },
      ]);
      const hash = b.hash;
      tampers.push([
        () => {
          b.hash = toBase64url(new Uint8Array(32));
        },
        () => {
          b.hash = hash;
        },
      ]);
      if (b.entries.length > 0) {
        const entries = [...b.entries];
        tampers.push([
          () => {
            b.entries.pop();
          },
          () => {
            b.entries = [...entries];
          },
        ]);
        tampers.push([
          () => {
            b.entries.reverse();
          },
          () => {
            b.entries = [...entries];
          },
        ]);
        tampers.push([
          () => {
            b.entries[0] = { ...(entries[0] as object), time: '2030-01-01T00:00:00Z' };
          },
          () => {
            b.entries = [...entries];
          },
        ]);
        for (const field of ['sig', 'nonce', 'actor', 'body']) {
          tampers.push([
            () => {
              const e0 = entries[0] as { tx: Record<string, unknown>; time: string };
              const v =
                field === 'body'
                  ? { ...(e0.tx.body as object), x: 1 }
                  : field === 'actor'
                    ? 'mallory'
                    : toBase64url(new Uint8Array(field === 'sig' ? 64 : 16));
              b.entries[0] = { ...e0, tx: { ...e0.tx, [field]: v } };
            },
            () => {
              b.entries = [...entries];
            },
          ]);
        }
      }
      for (const [doIt, undo] of tampers) {
        doIt();
        const c = w.ledger.verifyChain();
        expect(c.ok).toBe(false);
        expect(c.ok ? -1 : c.height).toBe(h);
        undo();
        expect(w.ledger.verifyChain().ok).toBe(true);
      }
    }
  });
  it('persists to JSON Lines and resumes; tampered files are rejected', async () => {
    const w = await world();
    const r = await publish(w, 1);
    await grant(w, r.recordId);
    const text = w.ledger.toJsonLines();
    const again = await MemoryLedger.fromJsonLines(text, { expectedHead: w.ledger.head });
    expect(again.head).toBe(w.ledger.head);
    expect(again.verifyChain().ok).toBe(true);
    expect(await again.getPermissions(r.recordId)).toEqual(await w.ledger.getPermissions(r.recordId));
    expect(again.toJsonLines()).toBe(text);
    // Resume: new transactions continue the chain.
    const d = await again.submit(tx(w.doctor, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT' }));
    expect(d.decision?.granted).toBe(true);
    const lines = text.trim().split('\n');
    const tampered = [
      text.replace('"TREAT"', '"HRESCH"'),
      text.replace(/"time":"2026-11-24T20:00:00Z"/, '"time":"2026-11-24T20:00:01Z"'),
      [...lines.slice(0, 2), ...lines.slice(3)].join('\n'),
      lines.slice(0, -1).join('\n'),
      text.replace('"locator":"blob:1"', '"locator":"blob:2"'),
    ];
    for (const [i, t] of tampered.entries()) {
      if (t === text) continue;
      const e = await MemoryLedger.fromJsonLines(t, { expectedHead: w.ledger.head }).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e, `tamper ${i}`).toBeInstanceOf(Error);
    }
  });
  it('is deterministic: the same transactions in the same order with the same clock give the same chain', async () => {
    const authority = actor('ministry');
    const patients = Array.from({ length: 7 }, (_, i) => actor(`patient-${i}`));
    const txs = patients.map((p) => tx(p, 'registerPatient', patientBody(p, authority)));
    const make = () =>
      new MemoryLedger(
        { chainId: CHAIN, authorities: [{ id: authority.id, publicKey: pk(authority) }] },
        { now: () => Date.UTC(2026, 10, 24), maxBlockTxs: 3 },
      );
    const a = make();
    const b = make();
    const ra = await Promise.all(txs.map((t) => a.submit(t)));
    for (const t of txs) await b.submit(t);
    a.seal();
    b.seal();
    expect(a.head).toBe(b.head);
    expect(a.toJsonLines()).toBe(b.toJsonLines());
    // Receipts name the block that holds the transaction.
    for (const r of ra) expect(a.blocks[r.height]?.entries.some((e) => txId(e.tx) === r.txId)).toBe(true);
    expect(a.blocks.map((x) => x.entries.length)).toEqual([0, 3, 3, 1]);
  });
});

void CHAIN;
