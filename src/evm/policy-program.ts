/**
 * Policies and requester attributes in the form the EVM permission contract evaluates.
 *
 * The contract cannot parse policy text, so `bpds/evm` compiles a parsed policy (bpds policy
 * language, `docs/policy.md`) to a postfix program over hashed attribute labels: `0x01 ‖ label`
 * pushes whether the requester holds the label, `0x02` negates, `0x03 ‖ k ‖ n` (16-bit big-endian
 * each) replaces the top n values by "at least k of them hold". `and` is n-of-n, `or` 1-of-n,
 * numeric comparisons compile to their bit-label formulas exactly as `satisfies` evaluates them.
 * A requester's attributes are expanded to the same labels (`collectKeyAttributes`, 32-bit default
 * width) and stored hashed, so the on-chain decision equals `satisfies(policy, attributes)`.
 * Labels are hashed with keccak256 under the tag `bpds/v1/evm/attribute`.
 */
import { keccak256 } from 'viem';
import { concatBytes, utf8 } from '../internal/bytes.js';
import type { Policy } from '../policy/index.js';
import { compileCmp } from '../policy/internal/numeric.js';
import { collectKeyAttributes, keyBits } from '../policy/keys.js';

const LABEL_TAG = utf8('bpds/v1/evm/attribute\u0000');
const PARTY_TAG = utf8('bpds/v1/evm/party');
/** A label no requester holds (`#` is reserved in attribute names): comparisons that never hold. */
const NEVER = '#never';

/** keccak256 of a tagged attribute label (32 bytes). */
export function labelHash(label: string): Uint8Array {
  return keccak256(concatBytes(LABEL_TAG, utf8(label)), 'bytes');
}

/** The contract's key of a party id: keccak256("bpds/v1/evm/party" ‖ id), as `partyKey` computes it. */
export function partyKey(id: string): `0x${string}` {
  return keccak256(concatBytes(PARTY_TAG, utf8(id)));
}

/** The hashed labels a requester's registered attributes expand to. */
export function requesterLabels(attributes: readonly string[]): `0x${string}`[] {
  const set = collectKeyAttributes(attributes, 'attributes', keyBits(undefined), true);
  return [...set].map((l) => keccak256(concatBytes(LABEL_TAG, utf8(l))));
}

function gate(k: number, n: number): Uint8Array {
  return Uint8Array.of(3, k >> 8, k & 0xff, n >> 8, n & 0xff);
}

function emit(p: Policy, out: Uint8Array[]): void {
  switch (p.kind) {
    case 'attr':
      out.push(Uint8Array.of(1), labelHash(p.name));
      return;
    case 'not':
      emit(p.child, out);
      out.push(Uint8Array.of(2));
      return;
    case 'and':
    case 'or':
    case 'threshold': {
      for (const c of p.children) emit(c, out);
      const n = p.children.length;
      out.push(gate(p.kind === 'and' ? n : p.kind === 'or' ? 1 : p.k, n));
      return;
    }
    case 'cmp': {
      let compiled: Policy | undefined;
      try {
        compiled = compileCmp(p.name, p.op, p.value, p.bits);
      } catch {
        compiled = undefined;
      }
      if (compiled === undefined) out.push(Uint8Array.of(1), labelHash(NEVER));
      else emit(compiled, out);
      return;
    }
  }
}

/** Compile a parsed policy to the contract's postfix program. */
export function policyProgram(policy: Policy): Uint8Array {
  const out: Uint8Array[] = [];
  emit(policy, out);
  return concatBytes(...out);
}
