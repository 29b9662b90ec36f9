// Grant expiry at the exact boundary: a grant whose `expiresAt` is T is live strictly before T
// and dead from T on, both when it is created (the "expires in the past" check) and when a
// request is decided. Tests elsewhere move the clock far past expiry; these stop at T - 1 ms,
// T and T + 1 ms.
import { describe, expect, it } from 'vitest';
import { LedgerError } from '../src/errors.js';
import { publish, tx, type World, world } from './chain-fixture.js';

const T_TEXT = '2026-11-24T21:00:00Z';
const T = Date.parse(T_TEXT);

async function grant(w: World, recordId: string, expiresAt: string) {
  return w.ledger.submit(tx(w.patient, 'grantAccess', { recordId, grantee: { requester: w.doctor.id }, expiresAt }));
}

describe('grant expiry at the boundary second', () => {
  it('creating a grant that expires exactly now is refused; 1 ms before, it is accepted', async () => {
    const w = await world();
    const r = await publish(w);
    w.clock.t = T;
    const e = await grant(w, r.recordId, T_TEXT).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(LedgerError);
    expect((e as LedgerError).reason).toBe('EXPIRED');
    expect(await w.ledger.getPermissions(r.recordId)).toEqual([]);

    const w2 = await world();
    const r2 = await publish(w2);
    w2.clock.t = T - 1;
    const ok = await grant(w2, r2.recordId, T_TEXT);
    expect((await w2.ledger.getPermissions(r2.recordId)).map((g) => [g.grantId, g.expiresAt])).toEqual([
      [ok.txId, T_TEXT],
    ]);
  });

  it('a grant expiring at T decides GRANTED at T - 1 ms and NO_MATCHING_GRANT at T and after', async () => {
    const w = await world();
    const r = await publish(w);
    const g = await grant(w, r.recordId, T_TEXT);
    const ask = async () =>
      (await w.ledger.submit(tx(w.doctor, 'requestAccess', { recordId: r.recordId, purpose: 'TREAT' }))).decision!;
    w.clock.t = T - 1;
    expect(await ask()).toMatchObject({ granted: true, reason: 'GRANTED', grantId: g.txId, expiresAt: T_TEXT });
    w.clock.t = T;
    const atT = await ask();
    expect(atT).toMatchObject({ granted: false, reason: 'NO_MATCHING_GRANT' });
    expect(atT).not.toHaveProperty('grantId');
    w.clock.t = T + 1;
    expect((await ask()).reason).toBe('NO_MATCHING_GRANT');
  });
});
