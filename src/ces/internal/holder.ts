/**
 * Holder binding (key binding in the style of SD-JWT KB-JWT): the holder signs
 * the presentation digest together with the verifier's audience and nonce and a
 * time, so a presentation cannot be replayed to another verifier or session. Internal.
 */
import { InvalidArgumentError } from '../../errors.js';
import { assertString } from '../../internal/assert.js';
import { isWellFormed, lp, u32be, utf8 } from '../../internal/bytes.js';
import { taggedHash } from '../../internal/tagged-hash.js';

/** Longest audience or nonce accepted. */
export const MAX_BINDING_TEXT = 1024;

export function checkText(v: unknown, name: string): string {
  assertString(v, name, MAX_BINDING_TEXT);
  if (v.length === 0) throw new InvalidArgumentError(`"${name}" must not be empty`);
  if (!isWellFormed(v)) throw new InvalidArgumentError(`"${name}" contains a lone surrogate`);
  return v;
}

/** The message the holder signs. */
export function bindingMessage(
  presentationDigest: Uint8Array,
  audience: string,
  nonce: string,
  time: number,
): Uint8Array {
  return taggedHash(
    'bpds/v1/ces/holder-binding',
    presentationDigest,
    lp(utf8(audience)),
    lp(utf8(nonce)),
    u32be(Math.floor(time / 2 ** 32)),
    u32be(time >>> 0),
  );
}
