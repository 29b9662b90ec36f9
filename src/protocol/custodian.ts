/**
 * A custodian acting for a patient (e.g. a parent for a minor): BPDS's
 * patient-controlled permissions (Liu et al. 2018), exercised by someone the
 * patient named on the ledger. A custodian grants and revokes access to whole
 * records; field-limited grants need the patient's own keys (to read the record
 * and to sign the presentation as holder), so they stay with the patient.
 *
 * @module protocol/custodian
 */
import type { Grantee, Ledger, PurposeOfUse } from '../chain/index.js';
import { assertBytes, assertObject, assertString } from '../internal/assert.js';
import { refuseLiveJson } from '../internal/json-form.js';
import { assertParticipantId } from './identity.js';
import { assertGrantBase, grantBody } from './internal/grant.js';
import { submit } from './internal/ledger.js';

/** Options of the {@link Custodian} constructor. */
export interface CustodianOptions {
  /** The custodian's registered ledger id (a patient or requester the patient named). */
  readonly id: string;
  readonly ledger: Ledger;
  /** The custodian's 32-byte Ed25519 ledger secret key. */
  readonly secretKey: Uint8Array;
}

/** A whole-record grant made by a custodian. */
export interface CustodianGrantInput {
  readonly recordId: string;
  readonly to: Grantee;
  readonly purposes?: readonly PurposeOfUse[];
  readonly expiresAt?: Date;
}

/**
 * A custodian: grants and revokes access to the records of the patients who named it.
 *
 * @example
 * ```ts
 * import type { Ledger } from 'bpds/chain';
 * import { Custodian } from 'bpds/protocol';
 * declare const ledger: Ledger;
 * declare const parentKey: Uint8Array;
 * declare const recordId: string;
 * const parent = new Custodian({ id: 'p-parent', ledger, secretKey: parentKey });
 * const grantId = await parent.grant({ recordId, to: { requester: 'dr-chen' }, purposes: ['TREAT'] });
 * ```
 */
export class Custodian {
  /** The custodian's ledger id. */
  readonly id: string;
  readonly #ledger: Ledger;
  readonly #secretKey: Uint8Array;

  /** @throws {InvalidArgumentError} for a bad id or key. */
  constructor(options: CustodianOptions) {
    assertObject(options, 'options');
    assertParticipantId(options.id, 'options.id');
    assertBytes(options.secretKey, 'options.secretKey', 32);
    this.id = options.id;
    this.#ledger = options.ledger;
    this.#secretKey = options.secretKey.slice();
  }

  /**
   * Grant access to a whole record of a patient who named this custodian; returns the grant id.
   *
   * @throws {InvalidArgumentError} for malformed input.
   * @throws {ProtocolError} `step: 'grant'` with the ledger's reason (`UNAUTHORIZED_SIGNER` when not a custodian…).
   */
  async grant(input: CustodianGrantInput): Promise<string> {
    assertGrantBase(input);
    const receipt = await submit(this.#ledger, this.id, this.#secretKey, 'grantAccess', grantBody(input), 'grant');
    return receipt.txId;
  }

  /**
   * Revoke a grant on a record of a patient who named this custodian.
   *
   * @throws {ProtocolError} `step: 'grant'` with the ledger's reason.
   */
  async revoke(grantId: string): Promise<void> {
    assertString(grantId, 'grantId', 256);
    await submit(this.#ledger, this.id, this.#secretKey, 'revokeAccess', { grantId }, 'grant');
  }

  /**
   * No JSON form: a Custodian is a live object, so `JSON.stringify` throws
   * rather than write `{}` or a few public fields.
   *
   * @throws InvalidArgumentError always
   */
  toJSON(): never {
    return refuseLiveJson(
      'a Custodian',
      'it holds its signing key; keep the key you passed as `secretKey` (or the identity) instead',
    );
  }
}
