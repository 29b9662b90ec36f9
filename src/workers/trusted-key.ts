/**
 * Rebuilding, on the caller's thread, a secret key that a worker of the pool has just
 * issued. Internal.
 *
 * `SecretKey.fromBytes` validates everything (the embedded public key with its GT
 * subgroup checks, every G2 point's subgroup check), which costs a large part of a
 * keygen (about 70 % for Waters11 at 10 attributes) and would make the caller's thread
 * the bottleneck of bulk keygen. These bytes are not untrusted input: our own worker
 * computed them from the caller's master key. So the embedded public key must be the
 * master key's (compared byte for byte, not decoded again), and the G2 subgroup checks
 * of the key's points are skipped (deferred and dropped, src/pairing/transfer.ts);
 * the other decoding checks (curve equation, canonical form, identity) still run.
 */
import { readHeader } from '../cpabe/internal/format.js';
import { type MasterKey, makeSecretKey, masterKeyInner, publicKeyInner, type SecretKey } from '../cpabe/keys.js';
import { equalBytes } from '../internal/bytes.js';
import { ByteReader } from '../internal/codec.js';
import { withDeferredG2Checks } from '../pairing/transfer.js';

/** Decode a secret key issued by a pool worker with `masterKey` (trusted bytes only). */
export function secretKeyFromWorker(bytes: Uint8Array, masterKey: MasterKey): SecretKey {
  const { core, publicKey } = masterKeyInner(masterKey);
  const r = new ByteReader(bytes, 'CP-ABE secret key');
  if (readHeader(r, 'secretKey').core !== core) throw new Error('pool keygen: scheme mismatch');
  if (!equalBytes(r.varBytes('public key', 1 << 24), publicKeyInner(publicKey).bytes)) {
    throw new Error('pool keygen: the key was not issued under this master key');
  }
  const n = r.count('attribute count', 1 << 16);
  const attributes: string[] = [];
  for (let i = 0; i < n; i++) attributes.push(r.string('attribute', 1 << 16));
  const read = withDeferredG2Checks(() => core.readSecretKey(r));
  if (!read.ok) throw read.error;
  r.end();
  return makeSecretKey(core, publicKey, read.value, attributes);
}
