/**
 * The harness process: one command a line in, one JSON line out (protocol in harness.cpp).
 * Its timings are its own process's CPU time, so the pipe round trip is not in them.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';

/** RELIC's build configuration, as the harness reports it. */
export interface RelicInfo {
  relic: string;
  arith: string;
  arch: string;
  wsize: number;
  fp_prime: number;
}

/** One sample: per-call CPU and wall time in ms. */
export interface PeerSample {
  cpu_ms: number;
  wall_ms: number;
}

export class HarnessClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly waiting: ((line: string | null) => void)[] = [];
  private readonly queued: string[] = [];
  private closed = false;
  private stderr = '';

  constructor(exe: string) {
    this.child = spawn(exe, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-2000);
    });
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (l) => {
      const w = this.waiting.shift();
      if (w !== undefined) w(l);
      else this.queued.push(l);
    });
    this.lines.on('close', () => {
      this.closed = true;
      for (const w of this.waiting.splice(0)) w(null);
    });
    this.child.on('error', () => {
      this.closed = true;
      for (const w of this.waiting.splice(0)) w(null);
    });
  }

  private next(): Promise<string | null> {
    const q = this.queued.shift();
    if (q !== undefined) return Promise.resolve(q);
    if (this.closed) return Promise.resolve(null);
    return new Promise((res) => this.waiting.push(res));
  }

  /** Send one command and parse its answer; an `{"error"}` answer or a dead process throws. */
  async ask<T>(command: string): Promise<T> {
    if (this.closed) throw new Error(`openabe harness exited${this.stderr ? `: ${this.stderr}` : ''}`);
    this.child.stdin.write(`${command}\n`);
    const line = await this.next();
    if (line === null)
      throw new Error(`openabe harness exited during "${command}"${this.stderr ? `: ${this.stderr}` : ''}`);
    const v = JSON.parse(line) as T & { error?: string };
    if (typeof v.error === 'string') throw new Error(`openabe harness: ${command}: ${v.error}`);
    return v;
  }

  info(): Promise<RelicInfo> {
    return this.ask<RelicInfo>('info');
  }

  /** Build and check a case's fixtures; the byte size of what it produces (0 if none). */
  async prep(c: string, n: number): Promise<number> {
    return (await this.ask<{ bytes: number }>(`prep ${c} ${n}`)).bytes;
  }

  /** Time `calls` calls of the prepared case. */
  run(c: string, n: number, calls: number): Promise<PeerSample> {
    return this.ask<PeerSample>(`run ${c} ${n} ${calls}`);
  }

  /** Ask the process to quit and wait for it. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const done = new Promise<void>((res) => this.child.once('exit', () => res()));
    if (!this.closed) this.child.stdin.end('quit\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(timer);
  }
}
