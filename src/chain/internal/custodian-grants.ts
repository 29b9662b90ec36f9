/**
 * The live grants each custodian made on each patient's records, as the permission contract
 * keeps them (`docs/ledger.md`, custodians): removing a custodian revokes exactly this list,
 * and the EVM contract keeps the same list in the same order (a revoked grant's place takes
 * the last one). Internal.
 */

/**
 * Most live (not revoked) grants one custodian holds on one patient's records. Removing a
 * custodian revokes its live grants in the same transaction, so this bounds that work (on
 * the EVM: its gas, so a custodian cannot make itself too costly to remove). A grant past
 * this is refused with `TOO_MANY_GRANTS`; revoking one frees a place. The patient's own
 * grants are not limited.
 *
 * @example
 * ```ts
 * import { MAX_CUSTODIAN_GRANTS } from 'bpds/chain';
 * console.log(MAX_CUSTODIAN_GRANTS); // 256
 * ```
 */
export const MAX_CUSTODIAN_GRANTS = 256;

/** Per (patient, custodian): the custodian's live grant ids. */
export class CustodianGrants {
  readonly #lists = new Map<string, string[]>();

  #key(patient: string, custodian: string): string {
    return JSON.stringify([patient, custodian]);
  }

  /** Whether the custodian may make one more grant on the patient's records. */
  hasRoom(patient: string, custodian: string): boolean {
    return (this.#lists.get(this.#key(patient, custodian))?.length ?? 0) < MAX_CUSTODIAN_GRANTS;
  }

  /** Record a new live grant by the custodian. */
  add(patient: string, custodian: string, grantId: string): void {
    const k = this.#key(patient, custodian);
    const list = this.#lists.get(k);
    if (list === undefined) this.#lists.set(k, [grantId]);
    else list.push(grantId);
  }

  /** A grant was revoked: it leaves its list (swapped with the last, as the EVM contract does). */
  drop(patient: string, grantedBy: string, grantId: string): void {
    const list = this.#lists.get(this.#key(patient, grantedBy));
    const i = list?.indexOf(grantId) ?? -1;
    if (list === undefined || i < 0) return;
    list[i] = list[list.length - 1] as string;
    list.pop();
  }

  /** The custodian is removed: its live grants, in list order; the list is emptied. */
  take(patient: string, custodian: string): readonly string[] {
    const k = this.#key(patient, custodian);
    const list = this.#lists.get(k) ?? [];
    this.#lists.delete(k);
    return list;
  }
}
