/**
 * The attribute authority of BPDS (Liu et al., "BPDS: A Blockchain based
 * Privacy-Preserving Data Sharing for Electronic Medical Records", 2018: the
 * CP-ABE setup and key generation of the system-initialisation phase). It runs
 * CP-ABE `Setup` once and issues attribute keys (`KeyGen`) to hospital staff,
 * patients and other requesters. Every key also carries the holder's identity
 * attribute `id:<id>`, so patients can encrypt presentations for one requester.
 *
 * @module protocol/authority
 */
import { keygen, type MasterKey, type PublicKey, type SecretKey, setup } from '../cpabe/index.js';
import { InvalidArgumentError } from '../errors.js';
import { assertObject, assertString } from '../internal/assert.js';
import { IDENTITY_PREFIX, identityAttribute } from './identity.js';

/** Options of {@link Authority.create}. */
export interface AuthorityOptions {
  /** CP-ABE scheme: `'fame'` (default), `'waters11'` or `'bsw07'`. */
  readonly scheme?: 'fame' | 'waters11' | 'bsw07';
}

/** Who a key is issued to. */
export interface KeySubject {
  /** The holder's participant id (letters, digits, `_ - .`, at most 64). */
  readonly id: string;
  /** The holder's attributes, e.g. `['dept:cardiology', 'role:doctor']`; never `id:…`. */
  readonly attributes?: readonly string[];
}

/**
 * The CP-ABE attribute authority: holds the master key, publishes the public key,
 * issues attribute keys.
 *
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { Authority } from 'bpds/protocol';
 * await init();
 * const authority = Authority.create();
 * const key = authority.issueKey({ id: 'dr-chen', attributes: ['dept:cardiology', 'role:doctor'] });
 * ```
 */
export class Authority {
  readonly #masterKey: MasterKey;

  private constructor(masterKey: MasterKey) {
    this.#masterKey = masterKey;
  }

  /**
   * Run CP-ABE setup and return a new authority.
   *
   * @throws {NotInitializedError} before `await init()`.
   * @throws {InvalidArgumentError} for an unknown scheme.
   */
  static create(options: AuthorityOptions = {}): Authority {
    const scheme = (options as AuthorityOptions | null)?.scheme;
    assertObject(options, 'options');
    const { masterKey } = setup(scheme === undefined ? {} : { scheme });
    return new Authority(masterKey);
  }

  /**
   * Restore an authority from its master key (e.g. `MasterKey.fromBytes(...)`).
   *
   * @throws {InvalidArgumentError} when `masterKey` is not a CP-ABE MasterKey.
   */
  static fromMasterKey(masterKey: MasterKey): Authority {
    // keygen validates the key on first use; check the type now so the error names it.
    if (typeof masterKey !== 'object' || masterKey === null || typeof masterKey.toBytes !== 'function') {
      throw new InvalidArgumentError('"masterKey" expected MasterKey');
    }
    return new Authority(masterKey);
  }

  /** The CP-ABE public key that hospitals and patients encrypt with. */
  get publicKey(): PublicKey {
    return this.#masterKey.publicKey;
  }

  /** The master key (secret: persist it encrypted, offline). */
  get masterKey(): MasterKey {
    return this.#masterKey;
  }

  /**
   * Issue an attribute key to `subject`: its attributes plus its identity attribute `id:<id>`.
   *
   * @throws {InvalidArgumentError} for an invalid id, a non-array of strings, or an
   *   attribute starting with `id:` (reserved for identities).
   * @throws {PolicySyntaxError} for a malformed attribute (e.g. a bad numeric attribute).
   */
  issueKey(subject: KeySubject): SecretKey {
    assertObject(subject, 'subject');
    const idAttr = identityAttribute(subject.id);
    const attrs = subject.attributes ?? [];
    if (!Array.isArray(attrs)) throw new InvalidArgumentError('"subject.attributes" expected Array');
    attrs.forEach((a, i) => {
      assertString(a, `subject.attributes[${i}]`, 1024);
      if (a.trimStart().startsWith(IDENTITY_PREFIX)) {
        throw new InvalidArgumentError(`"subject.attributes[${i}]" uses the reserved prefix "${IDENTITY_PREFIX}"`);
      }
    });
    return keygen(this.#masterKey, [...attrs, idAttr]);
  }
}
