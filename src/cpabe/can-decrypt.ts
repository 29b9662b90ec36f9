/**
 * `canDecrypt`: would this key open this ciphertext (or any ciphertext under this
 * policy)? Decided from public information only: no pairing, no point decoding.
 */
import { BpdsError, InvalidArgumentError } from '../errors.js';
import { describe } from '../internal/assert.js';
import type { Policy } from '../policy/index.js';
import { Ciphertext, ciphertextInner, readPrefix } from './ciphertext.js';
import { parseForCheck, policyFromHeader, policySatisfied } from './internal/policy-bridge.js';
import { type SecretKey, secretKeyInner } from './keys.js';

/**
 * Whether `secretKey`'s attributes satisfy the policy of a ciphertext (bytes or parsed
 * {@link Ciphertext}) or a policy (text or parsed). For a ciphertext, also requires
 * the same scheme. Malformed ciphertext bytes give `false`.
 *
 * @throws {InvalidArgumentError} when `secretKey` is not a SecretKey or the second argument has a wrong type.
 * @throws {PolicySyntaxError} when a policy string does not parse.
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { canDecrypt, keygen, setup } from 'bpds/cpabe';
 * await init();
 * const { masterKey } = setup();
 * const sk = keygen(masterKey, ['cardiology', 'nurse']);
 * console.log(canDecrypt(sk, 'cardiology and (doctor or nurse)')); // true
 * ```
 */
export function canDecrypt(
  secretKey: SecretKey,
  ciphertextOrPolicy: Uint8Array | Ciphertext | string | Policy,
): boolean {
  const sec = secretKeyInner(secretKey);
  const x: unknown = ciphertextOrPolicy;
  if (x instanceof Ciphertext) {
    const ci = ciphertextInner(x);
    return ci.core === sec.core && policySatisfied(ci.prepared, sec.attributes);
  }
  if (x instanceof Uint8Array) {
    try {
      const { core, text } = readPrefix(x);
      return core === sec.core && policySatisfied(policyFromHeader(text, 'CP-ABE ciphertext'), sec.attributes);
    } catch (e) {
      if (e instanceof BpdsError) return false;
      throw e;
    }
  }
  if (typeof x === 'string' || (typeof x === 'object' && x !== null && 'kind' in x)) {
    return policySatisfied(parseForCheck(x as string | Policy), sec.attributes);
  }
  throw new InvalidArgumentError(
    `"ciphertextOrPolicy" expected Uint8Array, Ciphertext, policy string or Policy, got ${describe(x)}`,
  );
}
