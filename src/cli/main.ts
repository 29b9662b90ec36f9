/**
 * The `bpds` command: CP-ABE setup, keygen, encryption and decryption, content extraction
 * signatures, index-record and ledger verification, on armored text files, with `-` for
 * standard input or output.
 *
 * Exit status: 0 on success; 1 when the input is refused or invalid (the error code on
 * standard error, e.g. `bpds: ERR_DECRYPTION_FAILED: ...`); 2 on usage errors. A failed
 * command never leaves a partial output file.
 */
import { BpdsError } from '../errors.js';
import { init } from '../pairing/backend.js';
import { type CommandSpec, helpText, parseArgs, UsageError } from './args.js';
import { cesCommands } from './ces-commands.js';
import type { Command } from './command.js';
import { cpabeCommands } from './cpabe-commands.js';
import { inspectCommand } from './inspect-command.js';
import { Outputs, type Streams } from './io.js';
import { recordCommands } from './record-commands.js';

const COMMANDS: readonly Command[] = [...cpabeCommands, inspectCommand, ...cesCommands, ...recordCommands];

const OVERVIEW: CommandSpec = {
  name: '',
  summary: 'BPDS cryptography from the command line',
  usage: '<command> [options]',
  flags: { version: { type: 'boolean', help: 'print the version' } },
  positional: { min: 0, max: 0 },
  details: `commands:\n${COMMANDS.map((c) => `  ${c.spec.name.padEnd(16)} ${c.spec.summary}`).join('\n')}\n\nRun \`bpds <command> --help\` for a command's options. Files may be - for standard input/output.`,
};

/** Find the command named by the leading words of `argv` (e.g. `ces sign`). */
function lookup(argv: readonly string[]): { command: Command; rest: readonly string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = COMMANDS.find((c) => c.spec.name === name);
    if (command !== undefined) return { command, rest: argv.slice(words) };
  }
  return undefined;
}

/** The groups (`ces`, `record`, `ledger`) and their subcommands, for a helpful usage error. */
function groupHelp(group: string): string | undefined {
  const subs = COMMANDS.filter((c) => c.spec.name.startsWith(`${group} `));
  if (subs.length === 0) return undefined;
  return `bpds ${group}: ${subs.map((c) => c.spec.name.slice(group.length + 1)).join(' | ')}\n${subs
    .map((c) => `  bpds ${c.spec.name.padEnd(14)} ${c.spec.summary}`)
    .join('\n')}\n`;
}

/**
 * Run the command line `argv` (without `node` and the script) and return the exit status.
 * Never throws: every failure is reported on `io.stderr`.
 */
export async function main(argv: readonly string[], io: Streams, version = '0.0.0'): Promise<number> {
  const out = new Outputs(io);
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.stdout.write(helpText(OVERVIEW));
      return argv.length === 0 ? 2 : 0;
    }
    if (argv[0] === '--version') {
      io.stdout.write(`${version}\n`);
      return 0;
    }
    const found = lookup(argv);
    if (found === undefined) {
      const group = groupHelp(argv[0] as string);
      if (group !== undefined && (argv.length === 1 || argv[1] === '--help' || argv[1] === '-h')) {
        io.stdout.write(group);
        return argv.length === 1 ? 2 : 0;
      }
      throw new UsageError(`unknown command ${JSON.stringify(argv.slice(0, group === undefined ? 1 : 2).join(' '))}`);
    }
    const parsed = parseArgs(found.command.spec, found.rest);
    if (parsed.help) {
      io.stdout.write(helpText(found.command.spec));
      return 0;
    }
    const status = (await found.command.run(parsed, { io, out, init: () => init() })) ?? 0;
    await out.commit();
    return status;
  } catch (e) {
    await out.discard().catch(() => undefined);
    if (e instanceof UsageError) {
      io.stderr.write(`bpds: ${e.message}\nRun \`bpds --help\` for usage.\n`);
      return 2;
    }
    if (e instanceof BpdsError) {
      io.stderr.write(`bpds: ${e.code}: ${e.message}\n`);
      return 1;
    }
    io.stderr.write(`bpds: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
