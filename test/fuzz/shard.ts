/**
 * One shard of a fuzz run: for each decoder, the inputs `index ≡ shard (mod shards)`
 * below `inputs`, taken round-robin over the decoders in chunks (optionally until a
 * deadline). Each input is regenerated from (seed, decoder, index), decoded
 * with its CPU time measured (`process.cpuUsage()`: this process's CPU, so other
 * processes on a shared machine do not inflate it; shards are separate processes),
 * and judged: a result that passes the decoder's oracle, or a `BpdsError`. Anything
 * else (another exception, a false accept, an unhandled rejection, an input slower
 * than the limit) is a failure, recorded with the input so it can be replayed.
 */
import { BpdsError } from '../../src/errors.js';
import { type Decoder, FalseAccept, type Input, type Verdict } from './decoders.js';
import { Rng } from './rng.js';

/** CPU time above which one decode fails the run. */
export const SLOW_MS = 100;
/**
 * CPU time above which one oracle check (decrypting or verifying an accepted input)
 * fails the run: five times the cost of decrypting the largest corpus ciphertext, so
 * a mutation that makes decryption blow up (cf. quadratic CCA checks) is caught.
 */
export const SLOW_CHECK_MS = 500;
/** Probability that an input is an unmutated seed (must be accepted). */
const P_SEED = 0.02;
/** Probability that an input is random junk rather than a mutation. */
const P_JUNK = 0.03;
const MAX_FAILURES_KEPT = 20;
const WARMUP_INPUTS = 30;
const MAX_INPUT_KEPT = 100_000;

export type FailureKind =
  | 'untyped-error'
  | 'false-accept'
  | 'oracle-error'
  | 'slow'
  | 'seed-rejected'
  | 'unhandled-rejection';

export interface Failure {
  decoder: string;
  index: number;
  kind: FailureKind;
  message: string;
  /** The input: base64 for bytes, the text for strings, `alg:base64` for raw keys (truncated). */
  input: string;
}

export interface DecoderStats {
  decoder: string;
  inputs: number;
  accepted: number;
  /** Accepted inputs by verdict: original / other / equivalent. */
  verdicts: Record<Verdict, number>;
  /** Rejections by error code. */
  rejected: Record<string, number>;
  falseAccepts: number;
  failures: number;
  /** Slowest decode, CPU ms, and the index of that input. */
  slowestMs: number;
  slowestIndex: number;
  /** Slowest oracle check (decrypt/verify of an accepted input), CPU ms. */
  slowestCheckMs: number;
  /** Total CPU seconds spent in this decoder (decode + checks + mutation) on this shard. */
  cpuSeconds: number;
}

export interface ShardResult {
  stats: DecoderStats[];
  failures: Failure[];
}

export interface ShardOptions {
  seed: string;
  inputs: number;
  shard: number;
  shards: number;
  /** Only run this input index (replay). */
  only?: number;
  onProgress?: (done: number) => void;
  /** Inputs of one decoder per round-robin turn (default 1000). */
  chunk?: number;
  /** Stop after the round running at this time (epoch ms): a time-boxed run. */
  deadline?: number;
  /** Called after every round with the statistics so far (the runner writes partial results). */
  onSnapshot?: (result: ShardResult) => void;
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

function describeInput(i: Input): string {
  const s =
    typeof i === 'string'
      ? i
      : i instanceof Uint8Array
        ? Buffer.from(i).toString('base64')
        : `${i.alg}:${Buffer.from(i.bytes).toString('base64')}`;
  return s.length > MAX_INPUT_KEPT ? `${s.slice(0, MAX_INPUT_KEPT)}…(truncated, ${s.length})` : s;
}

/** Input `index` of decoder `d` in the run seeded with `seed`. */
export function generateInput(d: Decoder, seed: string, index: number): { input: Input; isSeed: boolean } {
  const rng = Rng.forInput(seed, d.name, index);
  const s = rng.pick(d.seeds);
  const roll = rng.u32() / 2 ** 32;
  if (roll < P_SEED) return { input: s, isSeed: true };
  if (roll < P_SEED + P_JUNK) {
    const n = rng.chance(0.7) ? rng.int(256) : rng.int(20_000);
    if (typeof s === 'string') {
      let t = '';
      for (let k = 0; k < n; k++) t += String.fromCharCode(rng.chance(0.9) ? rng.range(0x20, 0x7e) : rng.int(0x10000));
      return { input: t, isSeed: false };
    }
    if (s instanceof Uint8Array) return { input: rng.bytes(n), isSeed: false };
    return { input: { alg: s.alg, bytes: rng.bytes(rng.chance(0.5) ? s.bytes.length : n) }, isSeed: false };
  }
  return { input: d.mutate(rng, s), isSeed: false };
}

/** CPU ms of one more decode of `input` (result ignored). */
async function timeDecode(d: Decoder, input: Input): Promise<number> {
  const t = process.cpuUsage();
  try {
    await d.decode(input);
  } catch {
    /* judged already */
  }
  return cpuMs(t);
}

/** CPU ms of one more oracle check (result ignored). */
async function timeCheck(d: Decoder, result: unknown, input: Input): Promise<number> {
  const t = process.cpuUsage();
  try {
    await d.check(result, input);
  } catch {
    /* judged already */
  }
  return cpuMs(t);
}

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 6).join('\n')}`;
  return String(e);
}

/** Run one shard over the given decoders. */
export async function runShard(decoders: readonly Decoder[], o: ShardOptions): Promise<ShardResult> {
  const failures: Failure[] = [];
  const stats: DecoderStats[] = [];
  let current: { decoder: string; index: number; input: Input } | undefined;
  const onRejection = (reason: unknown) => {
    failures.push({
      decoder: current?.decoder ?? '?',
      index: current?.index ?? -1,
      kind: 'unhandled-rejection',
      message: errorText(reason),
      input: current ? describeInput(current.input) : '',
    });
  };
  process.on('unhandledRejection', onRejection);
  let done = 0;
  try {
    // Warm up (JIT, WebAssembly, caches): decode and check every seed once, untimed.
    for (const d of decoders) {
      for (const s of d.seeds) {
        const r = await d.decode(s);
        await d.check(r, s);
      }
      for (let k = 0; k < WARMUP_INPUTS; k++) {
        const { input } = generateInput(d, 'f00df00df00df00d', k);
        try {
          await d.check(await d.decode(input), input);
        } catch {
          /* judged in the timed run */
        }
      }
    }
    // Round-robin: each round runs up to `chunk` inputs of every decoder, so a run that
    // stops at its deadline has covered every decoder about equally far.
    const lanes = decoders.map((d) => {
      const st: DecoderStats = {
        decoder: d.name,
        inputs: 0,
        accepted: 0,
        verdicts: { original: 0, other: 0, equivalent: 0 },
        rejected: {},
        falseAccepts: 0,
        failures: 0,
        slowestMs: 0,
        slowestIndex: -1,
        slowestCheckMs: 0,
        cpuSeconds: 0,
      };
      stats.push(st);
      return { d, st, next: o.only ?? o.shard };
    });
    const step = o.only === undefined ? o.shards : Number.POSITIVE_INFINITY;
    const end = o.only === undefined ? o.inputs : o.only + 1;
    const chunk = o.chunk ?? 1000;
    const snapshot = () => o.onSnapshot?.({ stats: structuredClone(stats), failures: [...failures] });
    while (lanes.some((l) => l.next < end)) {
      if (o.deadline !== undefined && Date.now() > o.deadline) break;
      for (const lane of lanes) {
        const { d, st } = lane;
        const record = (index: number, input: Input, kind: FailureKind, message: string) => {
          st.failures++;
          if (kind === 'false-accept') st.falseAccepts++;
          if (failures.filter((f) => f.decoder === d.name).length < MAX_FAILURES_KEPT) {
            failures.push({ decoder: d.name, index, kind, message, input: describeInput(input) });
          }
        };
        const start = process.cpuUsage();
        for (let k = 0; k < chunk && lane.next < end; k++, lane.next += step) {
          const index = lane.next;
          await runOne(d, st, index, record);
          done++;
          if ((done & 255) === 0) o.onProgress?.(done);
        }
        st.cpuSeconds += cpuMs(start) / 1000;
      }
      snapshot();
    }

    async function runOne(
      d: Decoder,
      st: DecoderStats,
      index: number,
      record: (index: number, input: Input, kind: FailureKind, message: string) => void,
    ): Promise<void> {
      const { input, isSeed } = generateInput(d, o.seed, index);
      current = { decoder: d.name, index, input };
      st.inputs++;
      let result: unknown;
      let error: unknown;
      let ok = false;
      const t0 = process.cpuUsage();
      try {
        result = d.decode(input);
        if (result instanceof Promise) {
          result = await result;
          // Let a stray rejection surface while this input is current.
          await new Promise((r) => setImmediate(r));
        }
        ok = true;
      } catch (e) {
        error = e;
      }
      let ms = cpuMs(t0);
      // process.cpuUsage() counts the whole process: a GC pause or V8's background
      // compiler threads can land in one input's window. A slow input is decoded
      // twice more and keeps its fastest time, so only reproducible slowness fails.
      for (let retry = 0; retry < 2 && ms > SLOW_MS / 2; retry++) ms = Math.min(ms, await timeDecode(d, input));
      if (ms > st.slowestMs) {
        st.slowestMs = ms;
        st.slowestIndex = index;
      }
      if (ms > SLOW_MS) record(index, input, 'slow', `decode took ${ms.toFixed(1)} ms of CPU`);
      if (!ok) {
        if (error instanceof BpdsError) {
          st.rejected[error.code] = (st.rejected[error.code] ?? 0) + 1;
          if (isSeed) record(index, input, 'seed-rejected', errorText(error));
        } else record(index, input, 'untyped-error', errorText(error));
        return;
      }
      st.accepted++;
      const t1 = process.cpuUsage();
      try {
        const v = await d.check(result, input);
        st.verdicts[v]++;
      } catch (e) {
        record(index, input, e instanceof FalseAccept ? 'false-accept' : 'oracle-error', errorText(e));
      }
      let cms = cpuMs(t1);
      for (let retry = 0; retry < 2 && cms > SLOW_CHECK_MS / 2; retry++)
        cms = Math.min(cms, await timeCheck(d, result, input));
      if (cms > st.slowestCheckMs) st.slowestCheckMs = cms;
      if (cms > SLOW_CHECK_MS) record(index, input, 'slow', `check (decrypt/verify) took ${cms.toFixed(1)} ms of CPU`);
    }
  } finally {
    current = undefined;
    process.off('unhandledRejection', onRejection);
  }
  o.onProgress?.(done);
  return { stats, failures };
}
