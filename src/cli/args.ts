/**
 * A small, strict command-line parser for the `bpds` command: `--name value`,
 * `--name=value`, boolean switches, repeated flags, `--` to end the flags, and `-` as
 * a positional argument (standard input or output). Anything it does not know is a
 * {@link UsageError}, which the command turns into exit status 2.
 */

/** A mistake in how the command was called (exit status 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** How one flag is read. */
export interface FlagSpec {
  /** `string`: one value; `list`: repeatable, values collected; `boolean`: a switch. */
  readonly type: 'string' | 'list' | 'boolean';
  /** Must be given. */
  readonly required?: boolean;
  /** One line for `--help`. */
  readonly help: string;
  /** Placeholder shown in `--help`, e.g. `FILE`. */
  readonly value?: string;
}

/** A command's grammar and help. */
export interface CommandSpec {
  /** Full name, e.g. `ces sign`. */
  readonly name: string;
  /** One line: what it does. */
  readonly summary: string;
  /** Usage line after `bpds <name>`, e.g. `--master MK --out SK ATTR...`. */
  readonly usage: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Bounds on positional arguments. */
  readonly positional: { readonly min: number; readonly max: number; readonly name?: string };
  /** Extra paragraphs for `--help`. */
  readonly details?: string;
}

/** The parsed command line. */
export interface Parsed {
  readonly flags: Readonly<Record<string, string | readonly string[] | boolean | undefined>>;
  readonly positional: readonly string[];
  readonly help: boolean;
}

/**
 * Parse `argv` (the arguments after the command name) against `spec`.
 * @throws UsageError for unknown flags, missing values or required flags, and wrong positional counts
 */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): Parsed {
  const flags: Record<string, string | string[] | boolean | undefined> = {};
  const positional: string[] = [];
  let help = false;
  let i = 0;
  let flagsDone = false;
  while (i < argv.length) {
    const arg = argv[i++] as string;
    if (flagsDone || arg === '-' || !arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    if (arg === '--') {
      flagsDone = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const f = Object.hasOwn(spec.flags, name) ? spec.flags[name] : undefined;
    if (f === undefined) throw new UsageError(`unknown option --${name}`);
    if (f.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      if (i >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[i++] as string;
    }
    if (f.type === 'list') {
      const prev = flags[name];
      flags[name] = [...(Array.isArray(prev) ? prev : []), value];
    } else {
      if (flags[name] !== undefined) throw new UsageError(`--${name} given twice`);
      flags[name] = value;
    }
  }
  if (help) return { flags, positional, help };
  for (const [name, f] of Object.entries(spec.flags)) {
    if (f.required === true && flags[name] === undefined) throw new UsageError(`--${name} is required`);
  }
  const { min, max, name } = spec.positional;
  if (positional.length < min) throw new UsageError(`missing ${name ?? 'argument'}`);
  if (positional.length > max) throw new UsageError(`unexpected argument ${JSON.stringify(positional[max])}`);
  return { flags, positional, help };
}

/** The `--help` text of a command. */
export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.flags).map(([name, f]) => {
    const left = `--${name}${f.type === 'boolean' ? '' : ` ${f.value ?? 'VALUE'}`}`;
    const tags = [f.required === true ? 'required' : '', f.type === 'list' ? 'repeatable' : '']
      .filter((t) => t !== '')
      .join(', ');
    return `  ${left.padEnd(24)} ${f.help}${tags === '' ? '' : ` (${tags})`}`;
  });
  rows.push(`  ${'--help'.padEnd(24)} show this help`);
  return [
    `bpds ${spec.name}: ${spec.summary}`,
    '',
    `usage: bpds ${spec.name} ${spec.usage}`.trimEnd(),
    '',
    'options:',
    ...rows,
    ...(spec.details === undefined ? [] : ['', spec.details]),
    '',
  ].join('\n');
}

/** A string flag's value (validated by {@link parseArgs}). */
export function str(p: Parsed, name: string): string | undefined {
  const v = p.flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** A list flag's values. */
export function list(p: Parsed, name: string): readonly string[] {
  const v = p.flags[name];
  return Array.isArray(v) ? v : [];
}

/** A required string flag's value. */
export function need(p: Parsed, name: string): string {
  const v = str(p, name);
  if (v === undefined) throw new UsageError(`--${name} is required`);
  return v;
}
