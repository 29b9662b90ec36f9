/**
 * Files, standard streams and progress for the `bpds` command. Outputs are written to a
 * temporary file beside the target and renamed into place only when the command
 * succeeded, so a failed command never leaves a partial output file.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InvalidEncodingError } from '../errors.js';
import { fromUtf8, toHex } from '../internal/bytes.js';
import { randomBytes } from '../internal/random.js';
import { parseJsonStrict } from '../internal/strict-json.js';
import { UsageError } from './args.js';

/** Largest input the command reads whole (whole-buffer encryption caps plaintexts at 2 GiB). */
export const MAX_INPUT_BYTES = 2 ** 31;

/** The standard streams the command uses; tests may substitute them. */
export interface Streams {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Read a whole file, or standard input for `-`. */
export async function readInput(path: string, io: Streams): Promise<Uint8Array> {
  if (path !== '-') {
    try {
      return new Uint8Array(await readFile(path));
    } catch (e) {
      throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of io.stdin as AsyncIterable<Uint8Array | string>) {
    const b = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    total += b.length;
    if (total > MAX_INPUT_BYTES) throw new UsageError('standard input is larger than 2 GiB');
    chunks.push(b);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Read UTF-8 text (strictly decoded). */
export async function readText(path: string, io: Streams): Promise<string> {
  return fromUtf8(await readInput(path, io), path === '-' ? 'standard input' : path);
}

/** Longest JSON text read (64 MiB, the CES wire limit). */
const MAX_JSON_LENGTH = 64 * 1024 * 1024;

/** Read JSON with the library's strict parser (duplicate keys and lone surrogates refused; numbers may have fractions). */
export async function readJson(path: string, io: Streams): Promise<unknown> {
  const text = await readText(path, io);
  try {
    return parseJsonStrict(text, { allowFloats: true, maxLength: MAX_JSON_LENGTH });
  } catch (cause) {
    throw new InvalidEncodingError(`${path === '-' ? 'standard input' : path}: not valid JSON`, { cause });
  }
}

/** Write to standard output, waiting until the stream has taken it. */
function writeStream(stream: NodeJS.WritableStream, data: Uint8Array | string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * Outputs collected while a command runs and committed only when it succeeds: each goes
 * to a temporary file beside its target (mode 0600 for secrets) and is renamed into place
 * by {@link Outputs.commit}; {@link Outputs.discard} removes the temporaries.
 */
export class Outputs {
  private readonly pending: { tmp: string; path: string }[] = [];
  private readonly toStdout: (Uint8Array | string)[] = [];

  constructor(private readonly io: Streams) {}

  /** Stage `data` for `path` (`-` or `undefined`: standard output). */
  async add(path: string | undefined, data: Uint8Array | string, secret = false): Promise<void> {
    if (path === undefined || path === '-') {
      this.toStdout.push(data);
      return;
    }
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${basename(path)}.${toHex(randomBytes(6))}.tmp`);
    const fh = await open(tmp, 'wx', secret ? 0o600 : 0o644);
    this.pending.push({ tmp, path });
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  /** Move every staged file into place and write staged standard output. */
  async commit(): Promise<void> {
    for (const { tmp, path } of this.pending.splice(0)) await rename(tmp, path);
    for (const d of this.toStdout.splice(0)) await writeStream(this.io.stdout, d);
  }

  /** Remove every staged temporary file. */
  async discard(): Promise<void> {
    for (const { tmp } of this.pending.splice(0)) await rm(tmp, { force: true });
    this.toStdout.length = 0;
  }
}

/** Inputs at least this large get a progress line. */
export const PROGRESS_BYTES = 16 * 1024 * 1024;

/**
 * Report long work on standard error: a line when it starts and one when it ends with the
 * elapsed time. Used for work expected to take more than about a second (large inputs,
 * keys with many attributes). Never prints secrets.
 */
export async function withProgress<T>(
  io: Streams,
  enabled: boolean,
  what: string,
  work: () => Promise<T> | T,
): Promise<T> {
  if (!enabled) return work();
  const t0 = performance.now();
  io.stderr.write(`bpds: ${what}...\n`);
  // let the line reach the terminal before synchronous work blocks the event loop
  await new Promise((r) => setImmediate(r));
  const out = await work();
  io.stderr.write(`bpds: ${what}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return out;
}

/** Human-readable byte count. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
