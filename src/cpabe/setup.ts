/**
 * `setup` and `keygen`: the authority's side of CP-ABE.
 */
import { InvalidArgumentError } from '../errors.js';
import { assertInteger, assertObject, assertString, describe } from '../internal/assert.js';
import { utf8 } from '../internal/bytes.js';
import { frRandom } from '../pairing/index.js';
import { keyLabels } from './internal/policy-bridge.js';
import {
  type MasterKey,
  makeMasterKey,
  makePublicKey,
  makeSecretKey,
  masterKeyInner,
  type PublicKey,
  publicKeyInner,
  type SecretKey,
} from './keys.js';
import type { SchemeName } from './scheme.js';
import { coreByName, SCHEME_NAMES } from './schemes/index.js';

/** Options of {@link setup}. */
export interface SetupOptions {
  /** The scheme: `'fame'` (default), `'waters11'` or `'bsw07'`. */
  readonly scheme?: SchemeName;
  /**
   * FAME only: how many rows of one policy may carry the same attribute, e.g.
   * `(a and b) or (a and c)` needs 2. Every key holds that many copies of each
   * attribute component. Default 2, at most 32.
   */
  readonly maxRepeats?: number;
}

/** Maximum number of attributes in one key, as given and after numeric expansion. */
export const MAX_KEY_ATTRIBUTES = 4096;
const MAX_KEY_LABELS = 4096;
/** Maximum UTF-8 length of one (expanded) key attribute. */
const MAX_LABEL_BYTES = 1024;

/**
 * Create a new CP-ABE system: a public key for encryptors and a master key for the
 * attribute authority (keep it secret).
 *
 * @throws {InvalidArgumentError} for an unknown scheme or bad options.
 * @throws {NotInitializedError} before `await init()`.
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { setup } from 'bpds/cpabe';
 * await init();
 * const { publicKey, masterKey } = setup({ scheme: 'fame' });
 * ```
 */
export function setup(options: SetupOptions = {}): { publicKey: PublicKey; masterKey: MasterKey } {
  assertObject(options, 'options');
  const name = options.scheme ?? 'fame';
  assertString(name, 'options.scheme');
  const core = coreByName(name);
  if (core === undefined) {
    throw new InvalidArgumentError(
      `"options.scheme" expected one of ${SCHEME_NAMES.join(', ')}, got ${JSON.stringify(name)}`,
    );
  }
  if (options.maxRepeats !== undefined) {
    assertInteger(options.maxRepeats, 'options.maxRepeats', 1, 32);
    if (core.name !== 'fame') throw new InvalidArgumentError('"options.maxRepeats" applies to the fame scheme only');
  }
  const { pk, mk } = core.setup(frRandom, options.maxRepeats === undefined ? {} : { maxRepeats: options.maxRepeats });
  const publicKey = makePublicKey(core, pk);
  return { publicKey, masterKey: makeMasterKey(core, publicKey, mk) };
}

/**
 * Issue a secret key for a set of attributes. Attributes are strings as in policies
 * (`'cardiology'`, `'dept:er'`) plus numeric attributes written `'name = value'`
 * (e.g. `'level = 3'`), which policies compare with `<`, `<=`, `>`, `>=`, `=`.
 * Duplicates are ignored.
 *
 * @throws {InvalidArgumentError} when `masterKey` is not a MasterKey, `attributes` is not an array of
 *   strings, or an attribute is malformed (e.g. `'level = abc'`, a value too large for its width).
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { keygen, setup } from 'bpds/cpabe';
 * await init();
 * const { masterKey } = setup();
 * const sk = keygen(masterKey, ['cardiology', 'doctor', 'level = 3']);
 * ```
 */
export function keygen(masterKey: MasterKey, attributes: readonly string[]): SecretKey {
  const { core, publicKey, mk } = masterKeyInner(masterKey);
  if (!Array.isArray(attributes))
    throw new InvalidArgumentError(`"attributes" expected Array, got ${describe(attributes)}`);
  if (attributes.length > MAX_KEY_ATTRIBUTES) {
    throw new InvalidArgumentError(`"attributes" has more than ${MAX_KEY_ATTRIBUTES} entries`);
  }
  attributes.forEach((a, i) => {
    assertString(a, `attributes[${i}]`, 1024);
  });
  const unique = [...new Set(attributes)];
  const labels = keyLabels(unique);
  // Keep every issued key decodable: the scheme decoders bound label count and size.
  if (labels.length > MAX_KEY_LABELS) {
    throw new InvalidArgumentError(
      `"attributes" expand to ${labels.length} key attributes (at most ${MAX_KEY_LABELS})`,
    );
  }
  for (const l of labels) {
    if (utf8(l).length > MAX_LABEL_BYTES) {
      throw new InvalidArgumentError(`"attributes": attribute longer than ${MAX_LABEL_BYTES} UTF-8 bytes`);
    }
  }
  const sk = core.keygen(publicKeyInner(publicKey).pk, mk, labels, frRandom);
  return makeSecretKey(core, publicKey, sk, unique);
}
