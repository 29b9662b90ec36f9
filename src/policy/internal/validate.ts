/**
 * Validation of policy objects that this module did not build (hand-written
 * ASTs, deserialized JSON...). Iterative, bounded by the hard limits. Internal.
 */
import { InvalidArgumentError } from '../../errors.js';
import { describe } from '../../internal/assert.js';
import { isTrusted, LIMITS, type Policy } from '../ast.js';
import { nameProblem, parseBitLabel } from './names.js';
import { cmpLeafCount } from './numeric.js';

const OPS: ReadonlySet<unknown> = new Set(['<', '<=', '>', '>=', '=']);

function bad(what: string, path: string): never {
  throw new InvalidArgumentError(`"policy" is not a valid policy: ${what} at ${path}`);
}

/**
 * Return `p` as a Policy after checking its shape: known kinds, valid names,
 * 1 <= k <= n, in-range comparison constants, at most the hard depth and leaf limits.
 * @throws {InvalidArgumentError} naming the problem and its path (e.g. `policy.children[2].k`)
 */
export function checkPolicy(p: unknown): Policy {
  if (isTrusted(p)) return p;
  let leaves = 0;
  const stack: [unknown, number, string][] = [[p, 1, 'policy']];
  while (stack.length > 0) {
    const [n, depth, path] = stack.pop() as [unknown, number, string];
    if (depth > LIMITS.hardMaxDepth + LIMITS.maxBits + 1) bad(`nested deeper than ${LIMITS.hardMaxDepth}`, path);
    if (typeof n !== 'object' || n === null || Array.isArray(n))
      bad(`expected a node object, got ${describe(n)}`, path);
    const o = n as Record<string, unknown>;
    switch (o.kind) {
      case 'attr': {
        if (typeof o.name !== 'string') bad('attribute name is not a string', path);
        const problem = nameProblem(o.name);
        if (problem !== null && parseBitLabel(o.name) === null) bad(problem, `${path}.name`);
        leaves++;
        break;
      }
      case 'and':
      case 'or':
      case 'threshold': {
        const ch = o.children;
        if (!Array.isArray(ch) || ch.length === 0) bad('expected a non-empty children array', `${path}.children`);
        if (o.kind === 'threshold') {
          const k = o.k;
          if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > ch.length) {
            bad(`threshold k must be an integer from 1 to ${ch.length}`, `${path}.k`);
          }
        }
        for (let i = ch.length - 1; i >= 0; i--) stack.push([ch[i], depth + 1, `${path}.children[${i}]`]);
        break;
      }
      case 'not':
        stack.push([o.child, depth + 1, `${path}.child`]);
        break;
      case 'cmp': {
        if (typeof o.name !== 'string') bad('attribute name is not a string', path);
        const problem = nameProblem(o.name);
        if (problem !== null) bad(problem, `${path}.name`);
        if (!OPS.has(o.op)) bad('unknown comparison operator', `${path}.op`);
        const bits = o.bits;
        if (typeof bits !== 'number' || !Number.isInteger(bits) || bits < 1 || bits > LIMITS.maxBits) {
          bad('bit width must be an integer from 1 to 64', `${path}.bits`);
        }
        const v = o.value;
        if (typeof v !== 'bigint' || v < 0n || v >= 1n << BigInt(bits)) {
          bad(`value must be a bigint from 0 to 2^${bits} - 1`, `${path}.value`);
        }
        const count = cmpLeafCount(o.op as '=', v, bits);
        if (count === 0) bad('comparison is never true', path);
        leaves += count;
        break;
      }
      default:
        bad('unknown node kind', `${path}.kind`);
    }
    if (leaves > LIMITS.hardMaxLeaves) bad(`more than ${LIMITS.hardMaxLeaves} leaves`, path);
  }
  return p as Policy;
}
