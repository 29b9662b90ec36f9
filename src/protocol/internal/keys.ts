/**
 * Key plumbing between the modules. Internal.
 *
 * A hospital has one Ed25519 identity key: it signs ledger transactions (over a
 * tagged 32-byte transaction digest), index records (over a tagged 32-byte record
 * digest) and content extraction signatures (over the CES header encoding, which
 * is longer than 32 bytes and starts with its own version bytes). The three
 * messages can never coincide, so one key is sound, and the ledger's registry
 * anchors it for every use.
 */
import { SigningKey, VerifyKey } from '../../ces/index.js';
import { publicKeyBytes } from '../../index-record/keys.js';
import { concatBytes } from '../../internal/bytes.js';

let prefixes: { signing: Uint8Array; verify: Uint8Array } | undefined;

/** The 3-byte encoding prefixes (version, kind, algorithm) of bpds/ces Ed25519 keys. */
function cesPrefixes(): { signing: Uint8Array; verify: Uint8Array } {
  if (prefixes === undefined) {
    const k = SigningKey.generate('ed25519');
    prefixes = { signing: k.toBytes().slice(0, 3), verify: k.verifyKey().toBytes().slice(0, 3) };
  }
  return prefixes;
}

/** The bpds/ces signing key of a 32-byte Ed25519 secret. */
export function cesSigningKey(secretKey: Uint8Array): SigningKey {
  return SigningKey.fromBytes(concatBytes(cesPrefixes().signing, secretKey));
}

/** The bpds/ces verify key of an Ed25519 identity public key (base64url text). */
export function cesVerifyKey(publicKey: string): VerifyKey {
  return VerifyKey.fromBytes(concatBytes(cesPrefixes().verify, publicKeyBytes(publicKey)));
}
