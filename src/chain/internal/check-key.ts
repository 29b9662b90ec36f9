/** The Ed25519 rule for registered keys (internal/ed25519.ts), as the contract applies it. Internal. */
import { LedgerError } from '../../errors.js';
import { fromBase64url } from '../../internal/bytes.js';
import { isPrimeOrderKey } from '../../internal/ed25519.js';

/**
 * A registered key must be acceptable under the Ed25519 rule: a prime-order point (no small- or mixed-order key).
 *
 * @throws LedgerError `INVALID_KEY` otherwise
 */
export function checkKey(publicKey: string): void {
  if (!isPrimeOrderKey(fromBase64url(publicKey))) {
    throw new LedgerError(
      'INVALID_KEY',
      'the public key is not an Ed25519 point of prime order (small- and mixed-order keys are refused)',
    );
  }
}
