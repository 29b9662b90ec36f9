/**
 * What every `bpds` subcommand is: its grammar and help ({@link CommandSpec}) and an async
 * body that stages its outputs in `ctx.out`. The body returns the exit status (0 when it
 * returns nothing); thrown errors are mapped to statuses by `main.ts`.
 */
import type { CommandSpec, Parsed } from './args.js';
import type { Outputs, Streams } from './io.js';

/** What a command body gets. */
export interface Context {
  readonly io: Streams;
  /** Outputs, written only if the command succeeds. */
  readonly out: Outputs;
  /** Load the pairing backend (once). */
  readonly init: () => Promise<void>;
}

/** One subcommand. */
export interface Command {
  readonly spec: CommandSpec;
  // biome-ignore lint/suspicious/noConfusingVoidType: bodies that only succeed return nothing
  run(p: Parsed, ctx: Context): Promise<number | void>;
}
