// A small reference evaluator for access policies, the test oracle of the CP-ABE and protocol
// properties (not a test file itself). Written from the policy language's definition in
// docs/policy.md, independently of src/policy/evaluate.ts (`satisfies`): plain attributes hold
// when the key has them; `k of (...)` holds when at least k children hold; a comparison
// `name op c` holds when the key assigns `name = v` (or `name#uN = v`) and `v op c`.
import type { Policy } from '../src/policy/index.js';

const NUMERIC = /^([^\s=<>#]+)(?:#u\d+)?\s*=\s*(\d+)$/;

/** Whether a key with `attributes` satisfies `policy` (a parsed policy tree). */
export function referenceSatisfies(policy: Policy, attributes: readonly string[]): boolean {
  const plain = new Set<string>();
  const values = new Map<string, bigint>();
  for (const a of attributes) {
    const m = NUMERIC.exec(a);
    if (m) values.set(m[1] as string, BigInt(m[2] as string));
    else plain.add(a);
  }
  const ev = (p: Policy): boolean => {
    switch (p.kind) {
      case 'attr':
        return plain.has(p.name);
      case 'and':
        return p.children.every(ev);
      case 'or':
        return p.children.some(ev);
      case 'threshold':
        return p.children.filter(ev).length >= p.k;
      case 'not':
        return !ev(p.child);
      case 'cmp': {
        const v = values.get(p.name);
        if (v === undefined) return false;
        return { '<': v < p.value, '<=': v <= p.value, '>': v > p.value, '>=': v >= p.value, '=': v === p.value }[p.op];
      }
    }
  };
  return ev(policy);
}
