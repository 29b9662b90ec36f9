/**
 * Genesis configuration of a BPDS ledger: validation and digest (committed in block 0).
 */
import { InvalidArgumentError } from '../errors.js';
import { TAGS } from '../index-record/tags.js';
import { assertInteger, assertObject, assertString } from '../internal/assert.js';
import { fromBase64url, toBase64url } from '../internal/bytes.js';
import { canonicalBytes } from '../internal/jcs.js';
import { taggedHash } from '../internal/tagged-hash.js';
import { deepFreeze } from './transaction.js';
import type { GenesisConfig } from './types.js';
import { isValidEd25519Key } from './verify.js';

/**
 * Tagged digest (`bpds/v1/ledger/genesis`) of a genesis configuration's canonical JSON,
 * as base64url: block 0's `prev`.
 *
 * @throws InvalidArgumentError or InvalidEncodingError if `genesis` is not JSON data
 * @example
 * ```ts
 * import { genesisDigest } from 'bpds/chain';
 * declare const genesis: import('bpds/chain').GenesisConfig;
 * const d = genesisDigest(genesis);
 * ```
 */
export function genesisDigest(genesis: GenesisConfig): string {
  return toBase64url(taggedHash(TAGS.ledgerGenesis, canonicalBytes(genesis)));
}

/** Validate a genesis configuration (names the offending field); returns a frozen copy. Internal. */
export function checkGenesis(g: unknown): GenesisConfig {
  assertObject(g, 'genesis');
  for (const k of Object.keys(g)) {
    if (k !== 'chainId' && k !== 'authorities' && k !== 'breakGlassSeconds') {
      throw new InvalidArgumentError(`"genesis.${k}" is not a known field`);
    }
  }
  assertString(g.chainId, 'genesis.chainId', 256);
  if (g.chainId.length === 0) throw new InvalidArgumentError('"genesis.chainId" must not be empty');
  if (!Array.isArray(g.authorities) || g.authorities.length === 0) {
    throw new InvalidArgumentError('"genesis.authorities" expected a non-empty array');
  }
  const authorities = g.authorities.map((a: unknown, i: number) => {
    assertObject(a, `genesis.authorities[${i}]`);
    assertString(a.id, `genesis.authorities[${i}].id`, 256);
    assertString(a.publicKey, `genesis.authorities[${i}].publicKey`, 43);
    let pk: Uint8Array | undefined;
    try {
      pk = fromBase64url(a.publicKey);
    } catch {
      pk = undefined;
    }
    if (pk === undefined || pk.length !== 32 || !isValidEd25519Key(pk)) {
      throw new InvalidArgumentError(`"genesis.authorities[${i}].publicKey" expected a base64url Ed25519 public key`);
    }
    return { id: a.id, publicKey: a.publicKey };
  });
  if (new Set(authorities.map((a) => a.id)).size !== authorities.length) {
    throw new InvalidArgumentError('"genesis.authorities" has duplicate ids');
  }
  const out: { chainId: string; authorities: typeof authorities; breakGlassSeconds?: number } = {
    chainId: g.chainId,
    authorities,
  };
  if (g.breakGlassSeconds !== undefined) {
    assertInteger(g.breakGlassSeconds, 'genesis.breakGlassSeconds', 1, 7 * 24 * 3600);
    out.breakGlassSeconds = g.breakGlassSeconds;
  }
  return deepFreeze(out);
}
