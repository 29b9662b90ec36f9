/**
 * End-to-end suite: one full BPDS share (Liu et al. 2018's storage and sharing
 * phases) through bpds/protocol on a FHIR-shaped Bundle: the hospital publishes
 * (CES sign, CP-ABE encrypt, blob store, signed index record on the ledger), the
 * patient grants a requester, and the requester asks the ledger, fetches,
 * checks the digest, decrypts and verifies the hospital's signature.
 */
import { fhirBundle, type Json } from '../lib/fhir.js';
import { load } from '../lib/load.js';
import { type Timing, timingFields } from '../lib/measure.js';
import type { Suite } from '../lib/types.js';

type Obj = Record<string, unknown>;
interface AuthorityLike {
  readonly genesis: unknown;
  readonly publicKey: unknown;
  registerHospital(ledger: unknown, who: { id: string; publicKey: Uint8Array }): Promise<void>;
  enroll(ledger: unknown, s: { id: string; attributes?: string[]; publicKey: Uint8Array }): Promise<unknown>;
  issueKey(s: { id: string; attributes?: string[] }): unknown;
}
interface ProtocolApi {
  Authority: { create(o?: { scheme?: string }): AuthorityLike };
  Hospital: new (
    o: Obj,
  ) => {
    readonly identity: { id: string; publicKey: Uint8Array };
    attestPatient(p: { id: string; publicKey: Uint8Array }): unknown;
    publish(i: { patient: string; record: Json; policy: string; keywords?: string[] }): Promise<{ recordId: string }>;
  };
  Patient: new (
    o: Obj,
  ) => {
    readonly identity: { id: string; publicKey: Uint8Array };
    register(attestation: unknown): Promise<void>;
    grant(g: { recordId: string; to: { requester: string }; purposes?: string[] }): Promise<{ grantId: string }>;
  };
  Requester: new (
    o: Obj,
  ) => {
    access(r: { recordId: string; purpose: string }): Promise<{ record: unknown; report: Obj }>;
  };
  MemoryBlobStore: new () => unknown;
}
interface ChainApi {
  MemoryLedger: new (genesis: unknown) => unknown;
}
interface KeysApi {
  generateSigningKey(): { secretKey: Uint8Array; publicKey: Uint8Array };
}

const FIELDS = 256;

/** JSON text with object keys sorted (the disclosed record comes back in canonical key order). */
function sorted(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(sorted).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${sorted(o[k])}`)
    .join(',')}}`;
}
const POLICY = 'dept:cardiology and (role:doctor or role:nurse)';

export const e2eSuite: Suite = {
  name: 'e2e',
  title: 'End to end: one BPDS share',
  async run(ctx) {
    const p = await load<ProtocolApi>('src/protocol/index.js', [
      'Authority',
      'Hospital',
      'Patient',
      'Requester',
      'MemoryBlobStore',
    ]);
    if (!p.ok) return ctx.note(`e2e suite skipped: ${p.reason}`);
    const ch = await load<ChainApi>('src/chain/index.js', ['MemoryLedger']);
    if (!ch.ok) return ctx.note(`e2e suite skipped: ${ch.reason}`);
    const ir = await load<KeysApi>('src/index-record/index.js', ['generateSigningKey']);
    if (!ir.ok) return ctx.note(`e2e suite skipped: ${ir.reason}`);
    const api = p.mod;
    const schemes = ctx.opts.quick ? ['fame'] : ['fame', 'waters11', 'bsw07'];
    const record = fhirBundle(FIELDS);
    const recordBytes = new TextEncoder().encode(JSON.stringify(record)).length;

    for (const scheme of schemes) {
      if (!ctx.wants(scheme)) continue;
      const authority = api.Authority.create({ scheme });
      const ledger = new ch.mod.MemoryLedger({ chainId: 'bpds-bench', authorities: [authority.genesis] });
      const store = new api.MemoryBlobStore();
      const hospital = new api.Hospital({ id: 'st-mary', ledger, store, publicKey: authority.publicKey });
      await authority.registerHospital(ledger, hospital.identity);
      const patientId = 'patient-42';
      const patient = new api.Patient({
        id: patientId,
        ledger,
        store,
        publicKey: authority.publicKey,
        key: authority.issueKey({ id: patientId }),
      });
      await patient.register(hospital.attestPatient(patient.identity));
      const reqKeys = ir.mod.generateSigningKey();
      const key = await authority.enroll(ledger, {
        id: 'cardiologist-1',
        attributes: ['dept:cardiology', 'role:doctor'],
        publicKey: reqKeys.publicKey,
      });
      const requester = new api.Requester({ id: 'cardiologist-1', ledger, store, key, secretKey: reqKeys.secretKey });

      const publish = () => hospital.publish({ patient: patientId, record, policy: POLICY, keywords: ['cardiology'] });
      const grant = (recordId: string) =>
        patient.grant({ recordId, to: { requester: 'cardiologist-1' }, purposes: ['TREAT'] });
      const access = (recordId: string) => requester.access({ recordId, purpose: 'TREAT' });
      const share = async () => {
        const { recordId } = await publish();
        await grant(recordId);
        return access(recordId);
      };

      // Check once: the requester gets exactly the hospital's record back, verified.
      const first = await share();
      if (sorted(first.record) !== sorted(record)) {
        throw new Error(`e2e ${scheme}: the requester did not get the published record back`);
      }
      const emit = (op: string, t: Timing, note: string) =>
        ctx.record({
          suite: 'e2e',
          scheme,
          op,
          n: FIELDS,
          variant: 'FHIR Bundle',
          ...timingFields(t),
          bytes: recordBytes,
          note,
        });
      const few = { budgetScale: ctx.opts.quick ? 1 : 2, minSamples: ctx.opts.quick ? 2 : 5 };
      if (ctx.wants(scheme, 'hospital publish')) {
        ctx.progress.step(`e2e ${scheme} hospital publish`);
        emit(
          'hospital publish',
          await ctx.measure.async(publish, few),
          'CES sign + CP-ABE encrypt + blob store + signed index record on MemoryLedger; bytes: record JSON',
        );
      }
      const { recordId } = await publish();
      if (ctx.wants(scheme, 'patient grant')) {
        ctx.progress.step(`e2e ${scheme} patient grant`);
        emit('patient grant', await ctx.measure.async(() => grant(recordId), few), 'signed grantAccess transaction');
      }
      await grant(recordId);
      if (ctx.wants(scheme, 'requester access')) {
        ctx.progress.step(`e2e ${scheme} requester access`);
        emit(
          'requester access',
          await ctx.measure.async(() => access(recordId), few),
          'ledger request + fetch + digest check + CCA decrypt + CES verify',
        );
      }
      if (ctx.wants(scheme, 'full share')) {
        ctx.progress.step(`e2e ${scheme} full share`);
        emit('full share', await ctx.measure.async(share, few), `publish + grant + access; policy "${POLICY}"`);
      }
    }
  },
};
