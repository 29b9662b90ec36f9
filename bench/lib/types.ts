/**
 * Shared types of the benchmark harness: one result row per measurement, the
 * run configuration, and the context every suite receives.
 */
import type { OpCount } from '../../src/cpabe/scheme.js';
import type { Measurer } from './measure.js';
import type { Progress } from './progress.js';

/** One measurement: the shape of `bench/results/latest.json` rows. */
export interface Row {
  /** Suite name: primitives, cpabe, ces, records, e2e. */
  suite: string;
  /** Scheme or library measured (`fame`, `hash-tree`, `@sd-jwt/core`, `mcl`...). */
  scheme: string;
  /** Operation (`keygen`, `encrypt (CCA)`, `pairing`...). */
  op: string;
  /** Problem size (policy attributes, fields, points, pairs), or null. */
  n: number | null;
  /** Sub-case when one (scheme, op, n) has several (policy shape, disclosed share...), or null. */
  variant: string | null;
  median_ms: number | null;
  min_ms: number | null;
  max_ms: number | null;
  /** Timed samples behind median/min/max (each sample may batch several calls). */
  samples: number | null;
  /** Median by the wall clock (median/min/max use the run's clock, CPU time by default). */
  wall_median_ms: number | null;
  /** Size in bytes of what the operation produced (key, ciphertext, signature...), or null. */
  bytes: number | null;
  /** The backend's limit: counted group operations priced with this run's primitive costs. */
  limit_ms: number | null;
  /** median_ms / limit_ms. */
  ratio: number | null;
  /** Free-text remark (throughput, peer ratio...). */
  note: string | null;
}

/** Command-line options. */
export interface Options {
  quick: boolean;
  suites: readonly string[] | null;
  schemes: readonly string[] | null;
  ops: readonly string[] | null;
  outDir: string;
  /** Write latest.* files (off with --no-write). */
  write: boolean;
  /** `cpu` (process CPU time, default) or `wall`. */
  clock: 'cpu' | 'wall';
  /** Re-render the reports from this saved latest.json instead of measuring. */
  render: string | null;
  /** The pairing curve this run loads. */
  curve: 'bn254' | 'bls12-381';
  /** Child mode of the curves suite: write the rows as JSON here and no reports. */
  rowsOut: string | null;
}

/** What a suite receives. */
export interface Context {
  readonly opts: Options;
  readonly measure: Measurer;
  readonly progress: Progress;
  /**
   * Record one row (filled with nulls where not given). `count`: the operation's counted
   * group work; the run prices it with this run's primitive costs once every suite has run
   * (filling `limit_ms` and `ratio`).
   */
  record(row: Partial<Row> & Pick<Row, 'suite' | 'scheme' | 'op'> & { count?: OpCount | null }): Row;
  /** Whether a scheme / op passes the --scheme / --op filters. */
  wants(scheme: string, op?: string): boolean;
  /** Print a note (module missing, peer missing...) and keep it for the reports. */
  note(text: string): void;
}

/** A benchmark suite. */
export interface Suite {
  readonly name: string;
  readonly title: string;
  run(ctx: Context): Promise<void>;
}
