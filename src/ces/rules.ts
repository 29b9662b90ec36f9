/**
 * Extraction rules: the signer's Content Extraction Access Structure (CEAS) of
 * Steinfeld, Bull and Zheng, "Content Extraction Signatures" (ICISC 2001; definitions of §3),
 * written as a small declarative object over claims-path patterns instead of an
 * explicit list of allowed index subsets, so that one rule set can be shared by
 * every record of a type (its id and digest reveal nothing about one patient).
 *
 * Semantics, for a pattern R and a selection of submessages:
 * - disclosed(R): some disclosed submessage lies under R (or is a unit containing R);
 * - full(R): every submessage of the record under R is disclosed (true when R is absent).
 * Rules: `mandatory` R ⇒ full(R); `never` R ⇒ ¬disclosed(R); `groups` G (all or nothing)
 * ⇒ if any R ∈ G is disclosed then full(R) for all R ∈ G; `requires` {if A, needs T}
 * ⇒ disclosed(A) implies full(T) for every T; `thresholds` {of, atLeast, atMost} bound
 * #{R ∈ of : disclosed(R)}; `forbidden` F ⇒ not every R ∈ F is disclosed.
 *
 * The canonical form (sorted, deduplicated, JCS, RFC 8785) is hashed into the
 * signed header.
 *
 * @module ces
 */
import { InvalidArgumentError, InvalidEncodingError } from '../errors.js';
import { assertInteger, assertObject, assertString } from '../internal/assert.js';
import { fromUtf8, isWellFormed } from '../internal/bytes.js';
import { canonicalBytes, canonicalizeJson } from '../internal/jcs.js';
import { parseJsonStrict } from '../internal/strict-json.js';
import { taggedHash } from '../internal/tagged-hash.js';
import { formatPolicy, type Policy, parsePolicy, satisfies } from '../policy/index.js';
import { parsePattern, pointer } from './internal/path.js';
import type { PathPattern, PatternInput } from './types.js';

/** The rule object accepted by {@link RuleSet.from}. Every list is optional. */
export interface ExtractionRules {
  /** Identifier of the rule set (e.g. `"fhir-observation-v1"`), shared per record type. */
  readonly id?: string;
  /** Paths that must be fully disclosed whenever present in the record. */
  readonly mandatory?: readonly PatternInput[];
  /** Paths that are never disclosed. */
  readonly never?: readonly PatternInput[];
  /** All-or-nothing groups: disclose all of a group or none of it. */
  readonly groups?: readonly (readonly PatternInput[])[];
  /** Dependencies: disclosing anything under `if` requires disclosing all of every path in `needs`. */
  readonly requires?: readonly { readonly if: PatternInput; readonly needs: readonly PatternInput[] }[];
  /** k-of-n bounds on how many of the paths `of` are (at least partly) disclosed. */
  readonly thresholds?: readonly {
    readonly of: readonly PatternInput[];
    readonly atLeast?: number;
    readonly atMost?: number;
  }[];
  /** Combinations never disclosed together. */
  readonly forbidden?: readonly (readonly PatternInput[])[];
  /**
   * Optional boolean rule in the `bpds/policy` language over JSON Pointers, e.g.
   * `"/resourceType and (/code or not /birthDate)"`: a pointer holds when disclosed(pointer);
   * a `*` segment matches any child (array element or object member). Numeric comparisons are not allowed.
   */
  readonly expression?: string;
}

/** Limits on one rule set. */
export const MAX_RULE_PATTERNS = 4096;
/** Most distinct patterns that need fullness checks (mandatory, groups, requires.needs). */
export const MAX_FULL_PATTERNS = 1024;
const MAX_RULES_BYTES = 1 << 20;

/** Canonical (normalized) rule object, as serialized. */
interface CanonicalRules {
  v: 1;
  id?: string;
  mandatory: (string | number | null)[][];
  never: (string | number | null)[][];
  groups: (string | number | null)[][][];
  requires: { if: (string | number | null)[]; needs: (string | number | null)[][] }[];
  thresholds: { of: (string | number | null)[][]; atLeast: number; atMost: number }[];
  forbidden: (string | number | null)[][][];
  expression?: string;
}

/** What the rule evaluator needs to know about a selection. Internal. */
export interface SelectionView {
  /** Some disclosed submessage is relevant to the pattern. */
  disclosed(p: PathPattern): boolean;
  /** Every submessage relevant to the fullness pattern number `i` is disclosed. */
  full(i: number): boolean;
}

/** A broken rule: its canonical text and a message for the patient app. */
export interface BrokenRule {
  readonly rule: string;
  readonly message: string;
}

const key = (p: unknown): string => canonicalizeJson(p);

function sortUnique<T>(xs: T[]): T[] {
  const m = new Map<string, T>();
  for (const x of xs) m.set(key(x), x);
  return [...m.keys()].sort().map((k) => m.get(k) as T);
}

function list(v: unknown, name: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new InvalidArgumentError(`"${name}" expected an array`);
  return v;
}

const pats = (v: unknown, name: string): (string | number | null)[][] =>
  sortUnique(list(v, name).map((p, i) => parsePattern(p, `${name}[${i}]`)));

const show = (ps: readonly PathPattern[]): string => ps.map(pointer).join(', ');

/** A parsed expression and its leaves as path patterns. */
interface Expression {
  readonly policy: Policy;
  readonly text: string;
  readonly leaves: readonly { readonly name: string; readonly pattern: PathPattern }[];
}

function parseExpression(text: unknown): Expression {
  assertString(text, 'rules.expression', 65536);
  const policy = parsePolicy(text);
  const names = new Set<string>();
  const walk = (n: Policy): void => {
    if (n.kind === 'attr') names.add(n.name);
    else if (n.kind === 'cmp') throw new InvalidArgumentError('"rules.expression" may not use numeric comparisons');
    else if (n.kind === 'not') walk(n.child);
    else for (const c of n.children) walk(c);
  };
  walk(policy);
  const leaves = [...names].map((name) => ({
    name,
    pattern: parsePattern(name, `rules.expression leaf ${name}`),
  }));
  return { policy, text: formatPolicy(policy), leaves };
}

function normalize(input: unknown): CanonicalRules {
  assertObject(input, 'rules');
  const known = new Set([
    'v',
    'id',
    'mandatory',
    'never',
    'groups',
    'requires',
    'thresholds',
    'forbidden',
    'expression',
  ]);
  for (const k of Object.keys(input)) {
    if (!known.has(k)) throw new InvalidArgumentError(`"rules" has an unknown member "${k}"`);
  }
  if (input.v !== undefined && input.v !== 1) throw new InvalidArgumentError('"rules.v" must be 1');
  const out: CanonicalRules = {
    v: 1,
    mandatory: pats(input.mandatory, 'rules.mandatory'),
    never: pats(input.never, 'rules.never'),
    groups: sortUnique(
      list(input.groups, 'rules.groups').map((g, i) => {
        const ps = pats(g, `rules.groups[${i}]`);
        if (ps.length < 1) throw new InvalidArgumentError(`"rules.groups[${i}]" must not be empty`);
        return ps;
      }),
    ),
    requires: sortUnique(
      list(input.requires, 'rules.requires').map((r, i) => {
        assertObject(r, `rules.requires[${i}]`);
        const needs = pats(r.needs, `rules.requires[${i}].needs`);
        if (needs.length < 1) throw new InvalidArgumentError(`"rules.requires[${i}].needs" must not be empty`);
        return { if: parsePattern(r.if, `rules.requires[${i}].if`), needs };
      }),
    ),
    thresholds: sortUnique(
      list(input.thresholds, 'rules.thresholds').map((t, i) => {
        assertObject(t, `rules.thresholds[${i}]`);
        const of = pats(t.of, `rules.thresholds[${i}].of`);
        const atLeast = t.atLeast ?? 0;
        const atMost = t.atMost ?? of.length;
        assertInteger(atLeast, `rules.thresholds[${i}].atLeast`, 0, of.length);
        assertInteger(atMost, `rules.thresholds[${i}].atMost`, atLeast, of.length);
        return { of, atLeast, atMost };
      }),
    ),
    forbidden: sortUnique(
      list(input.forbidden, 'rules.forbidden').map((f, i) => {
        const ps = pats(f, `rules.forbidden[${i}]`);
        if (ps.length < 2) throw new InvalidArgumentError(`"rules.forbidden[${i}]" needs at least two paths`);
        return ps;
      }),
    ),
  };
  if (input.expression !== undefined) out.expression = formatPolicy(parseExpression(input.expression).policy);
  if (input.id !== undefined) {
    assertString(input.id, 'rules.id', 256);
    if (!isWellFormed(input.id)) throw new InvalidArgumentError('"rules.id" contains a lone surrogate');
    out.id = input.id;
  }
  const total =
    out.mandatory.length +
    out.never.length +
    out.groups.reduce((a, g) => a + g.length, 0) +
    out.requires.reduce((a, r) => a + 1 + r.needs.length, 0) +
    out.thresholds.reduce((a, t) => a + t.of.length, 0) +
    out.forbidden.reduce((a, f) => a + f.length, 0);
  if (total > MAX_RULE_PATTERNS) throw new InvalidArgumentError(`"rules" has more than ${MAX_RULE_PATTERNS} paths`);
  return out;
}

/**
 * A canonicalized, immutable set of extraction rules with its digest.
 *
 * @example
 * ```ts
 * import { RuleSet } from 'bpds/ces';
 * const rules = RuleSet.from({
 *   id: 'fhir-patient-v1',
 *   mandatory: ['/resourceType'],
 *   never: ['/identifier'],
 *   groups: [['/address']],
 * });
 * console.log(rules.id, rules.digest.length); // 'fhir-patient-v1' 32
 * ```
 */
export class RuleSet {
  readonly #c: CanonicalRules;
  readonly #bytes: Uint8Array;
  readonly #expr: Expression | undefined;
  /** The deduplicated, sorted patterns that need fullness checks. Internal. */
  readonly fullPatterns: readonly PathPattern[];
  /** SHA-256 (tagged `bpds/v1/ces/rules`) of the canonical bytes: what the signed header holds. */
  readonly digest: Uint8Array;

  private constructor(c: CanonicalRules) {
    this.#c = c;
    this.#bytes = canonicalBytes(c);
    this.#expr = c.expression === undefined ? undefined : parseExpression(c.expression);
    this.digest = taggedHash('bpds/v1/ces/rules', this.#bytes);
    this.fullPatterns = sortUnique([...c.mandatory, ...c.groups.flat(), ...c.requires.flatMap((r) => r.needs)]);
    if (this.fullPatterns.length > MAX_FULL_PATTERNS) {
      throw new InvalidArgumentError(`"rules" needs more than ${MAX_FULL_PATTERNS} distinct fullness paths`);
    }
  }

  /**
   * Build and canonicalize a rule set. Paths may be claims-path arrays (with `null`
   * wildcards for any child: array element or object member) or JSON Pointers (with `*`
   * segments as wildcards).
   *
   * @throws InvalidArgumentError when a member is malformed (the message names it).
   */
  static from(rules: ExtractionRules | RuleSet): RuleSet {
    if (rules instanceof RuleSet) return rules;
    return new RuleSet(normalize(rules));
  }

  /**
   * Decode canonical rule bytes (as produced by {@link RuleSet.toBytes}).
   *
   * @throws InvalidEncodingError when the bytes are not the canonical JSON of a valid rule set.
   */
  static fromBytes(bytes: Uint8Array): RuleSet {
    if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('"bytes" expected Uint8Array');
    if (bytes.length > MAX_RULES_BYTES) throw new InvalidEncodingError('rules: too large');
    let rs: RuleSet;
    try {
      rs = new RuleSet(normalize(parseJsonStrict(fromUtf8(bytes, 'rules'), { maxDepth: 8 })));
    } catch (cause) {
      if (cause instanceof InvalidEncodingError) throw cause;
      throw new InvalidEncodingError('rules: not a valid rule set', { cause });
    }
    const b = rs.toBytes();
    if (b.length !== bytes.length || !b.every((x, i) => x === bytes[i])) {
      throw new InvalidEncodingError('rules: not in canonical form');
    }
    return rs;
  }

  /** The rule set identifier, if any. */
  get id(): string | undefined {
    return this.#c.id;
  }

  /** Canonical JSON (RFC 8785) bytes of the normalized rules. */
  toBytes(): Uint8Array {
    return this.#bytes.slice();
  }

  /** The normalized rule object (paths as claims-path arrays). */
  toJSON(): ExtractionRules & { v: 1 } {
    return structuredClone(this.#c);
  }

  /** First rule the selection breaks, or undefined. Internal. */
  check(view: SelectionView): BrokenRule | undefined {
    const c = this.#c;
    const fullIdx = new Map(this.fullPatterns.map((p, i) => [key(p), i]));
    const full = (p: PathPattern): boolean => view.full(fullIdx.get(key(p)) as number);
    for (const p of c.mandatory) {
      if (!full(p)) return { rule: `mandatory(${pointer(p)})`, message: `"${pointer(p)}" must be disclosed in full` };
    }
    for (const p of c.never) {
      if (view.disclosed(p)) return { rule: `never(${pointer(p)})`, message: `"${pointer(p)}" may never be disclosed` };
    }
    for (const g of c.groups) {
      if (g.some((p) => view.disclosed(p)) && !g.every(full)) {
        return {
          rule: `group(${show(g)})`,
          message: `${show(g)} must be disclosed all together or not at all`,
        };
      }
    }
    for (const r of c.requires) {
      if (view.disclosed(r.if) && !r.needs.every(full)) {
        return {
          rule: `requires(${pointer(r.if)} -> ${show(r.needs)})`,
          message: `disclosing "${pointer(r.if)}" requires disclosing all of ${show(r.needs)}`,
        };
      }
    }
    for (const t of c.thresholds) {
      const n = t.of.filter((p) => view.disclosed(p)).length;
      if (n < t.atLeast || n > t.atMost) {
        return {
          rule: `threshold(${t.atLeast}..${t.atMost} of ${show(t.of)})`,
          message: `between ${t.atLeast} and ${t.atMost} of ${show(t.of)} must be disclosed, got ${n}`,
        };
      }
    }
    for (const f of c.forbidden) {
      if (f.every((p) => view.disclosed(p))) {
        return { rule: `forbidden(${show(f)})`, message: `${show(f)} may not be disclosed together` };
      }
    }
    const e = this.#expr;
    if (e !== undefined) {
      const shown = e.leaves.filter((l) => view.disclosed(l.pattern)).map((l) => l.name);
      if (!satisfies(e.policy, shown, { literal: true })) {
        return { rule: `expression(${e.text})`, message: `the selection does not satisfy "${e.text}"` };
      }
    }
    return undefined;
  }
}
