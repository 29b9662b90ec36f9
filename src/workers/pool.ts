/**
 * The pool: a fixed set of workers, a queue, and the bookkeeping that lets one
 * worker borrow idle ones for the Miller loops and subgroup checks of a decryption.
 * Internal scheduling; the public face is {@link WorkerPool} (worker-pool.ts).
 */
import { loadedCurveOrUndefined } from '../pairing/curve.js';
import { WorkerPoolError } from './errors.js';
import { type FromWorker, fromWire, type TaskOp, type ToWorker } from './messages.js';
import { spawnWorker, type WorkerPort } from './spawn.js';

interface Task {
  readonly id: number;
  readonly op: TaskOp;
  readonly args: unknown;
  resolve(v: unknown): void;
  reject(e: unknown): void;
  /** The worker running it, once dispatched. */
  slot?: Slot;
  /** Helpers granted to it (index j-1 runs share j), while it runs. */
  granted: Slot[];
}

interface Slot {
  port: WorkerPort;
  state: 'starting' | 'idle' | 'busy' | 'reserved' | 'helping' | 'dead';
  task?: Task | undefined;
  /** While reserved or helping: the task it serves and (helping) its share. */
  serves?: { task: Task; share: number } | undefined;
}

/** The scheduler behind a {@link WorkerPool}. */
export class Scheduler {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closing: Promise<void> | undefined;
  private broken: WorkerPoolError | undefined;
  private readyWaiters: Array<{ ok(): void; ko(e: unknown): void }> = [];
  private refd = true;
  /** Miller-loop shares run by helpers, since the pool started (tests, benchmark). */
  sharesRun = 0;

  constructor(
    readonly size: number,
    private readonly workerUrl: string | URL | undefined,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
    this.updateRef();
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  private spawn(): Slot {
    const slot: Slot = { port: undefined as unknown as WorkerPort, state: 'starting' };
    slot.port = spawnWorker(this.workerUrl, {
      message: (m) => this.onMessage(slot, m as FromWorker),
      crash: (e) => this.onCrash(slot, e),
    });
    // Every worker loads the curve this thread loaded (one curve per process: docs/pairing-curves.md).
    this.post(slot, { t: 'init', curve: loadedCurveOrUndefined()?.name ?? 'bn254' });
    return slot;
  }

  /** Resolves when every worker has loaded the backend. */
  ready(): Promise<void> {
    if (this.closing !== undefined) return Promise.reject(closedError());
    if (this.broken !== undefined) return Promise.reject(this.broken);
    if (this.slots.every((s) => s.state !== 'starting')) return Promise.resolve();
    return new Promise((ok, ko) => {
      this.readyWaiters.push({ ok, ko });
      this.updateRef();
    });
  }

  /** Queue a task; settles with its result or its error. */
  run(op: TaskOp, args: unknown): Promise<unknown> {
    if (this.closing !== undefined) return Promise.reject(closedError());
    if (this.broken !== undefined) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, op, args, resolve, reject, granted: [] });
      this.pump();
    });
  }

  private post(slot: Slot, m: ToWorker): void {
    slot.port.post(m);
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) break;
      if (slot.state !== 'idle') continue;
      const task = this.queue.shift() as Task;
      slot.state = 'busy';
      slot.task = task;
      task.slot = slot;
      this.post(slot, { t: 'task', id: task.id, op: task.op, args: task.args, poolSize: this.size });
    }
    this.updateRef();
  }

  /** Node: an idle pool does not keep the process alive; a working one does. */
  private updateRef(): void {
    const want =
      this.closing === undefined &&
      (this.queue.length > 0 || this.readyWaiters.length > 0 || this.slots.some((s) => s.state === 'busy'));
    if (want === this.refd) return;
    this.refd = want;
    for (const s of this.slots) if (s.state !== 'dead') want ? s.port.ref() : s.port.unref();
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (slot.state === 'dead') return;
    switch (m.t) {
      case 'ready':
        if (slot.state === 'starting') slot.state = 'idle';
        if (this.slots.every((s) => s.state !== 'starting')) {
          for (const w of this.readyWaiters.splice(0)) w.ok();
        }
        this.pump();
        return;
      case 'startFailed':
        this.fail(new WorkerPoolError('WORKER_START_FAILED', `a worker could not start: ${m.message}`));
        return;
      case 'done':
      case 'failed': {
        const task = slot.task;
        if (task === undefined || task.id !== m.id) return;
        this.endTask(slot, task);
        if (m.t === 'done') task.resolve(m.value);
        else task.reject(fromWire(m.error));
        this.pump();
        return;
      }
      case 'helpers': {
        const task = slot.task;
        let granted = 0;
        if (task !== undefined && task.id === m.id) {
          for (const s of this.slots) {
            if (granted >= m.want) break;
            if (s.state !== 'idle') continue;
            s.state = 'reserved';
            s.serves = { task, share: 0 };
            task.granted.push(s);
            granted++;
          }
        }
        this.post(slot, { t: 'helpers', id: m.id, granted });
        return;
      }
      case 'release': {
        const task = slot.task;
        if (task === undefined || task.id !== m.id) return;
        for (const s of task.granted.splice(m.from)) this.freeHelper(s, task);
        this.pump();
        return;
      }
      case 'share': {
        const task = slot.task;
        const helper = task?.granted[m.share - 1];
        if (task === undefined || task.id !== m.id || helper === undefined || helper.state !== 'reserved') {
          this.post(slot, { t: 'shareFailed', id: m.id, share: m.share });
          return;
        }
        helper.state = 'helping';
        this.sharesRun++;
        helper.serves = { task, share: m.share };
        this.post(helper, { t: 'share', id: m.id, share: m.share, job: m.job });
        return;
      }
      case 'shareDone': {
        const serves = slot.serves;
        if (slot.state === 'helping') {
          slot.state = 'idle';
          slot.serves = undefined;
        }
        const task = serves?.task;
        if (task?.slot !== undefined && task.slot.task === task && task.id === m.id) {
          this.post(task.slot, { t: 'shareDone', id: m.id, share: m.share, result: m.result });
        }
        this.pump();
        return;
      }
    }
  }

  /** A helper goes back to idle, unless it is still computing a share (it returns when done). */
  private freeHelper(s: Slot, task: Task): void {
    if (s.state === 'reserved' && s.serves?.task === task) {
      s.state = 'idle';
      s.serves = undefined;
    }
  }

  private endTask(slot: Slot, task: Task): void {
    for (const s of task.granted.splice(0)) this.freeHelper(s, task);
    slot.task = undefined;
    if (slot.state === 'busy') slot.state = 'idle';
  }

  private onCrash(slot: Slot, error: unknown): void {
    if (slot.state === 'dead' || this.closing !== undefined) return;
    const was = slot.state;
    slot.state = 'dead';
    void slot.port.terminate();
    if (was === 'starting') {
      this.fail(new WorkerPoolError('WORKER_START_FAILED', 'a worker could not start', { cause: error }));
      return;
    }
    const task = slot.task;
    if (task !== undefined) {
      this.endTask(slot, task);
      task.reject(new WorkerPoolError('WORKER_CRASHED', 'the worker running the task crashed'));
    }
    const serves = slot.serves;
    if (serves !== undefined) {
      const owner = serves.task.slot;
      const idx = serves.task.granted.indexOf(slot);
      if (idx !== -1) serves.task.granted.splice(idx, 1, { ...slot, state: 'dead' });
      if (was === 'helping' && owner?.task === serves.task) {
        this.post(owner, { t: 'shareFailed', id: serves.task.id, share: serves.share });
      }
    }
    // Replace the dead worker.
    const i = this.slots.indexOf(slot);
    const fresh = this.spawn();
    if (!this.refd) fresh.port.unref();
    this.slots[i] = fresh;
    this.pump();
  }

  /** A worker cannot start: the pool is unusable; everything pending fails with `e`. */
  private fail(e: WorkerPoolError): void {
    if (this.broken !== undefined) return;
    this.broken = e;
    for (const t of this.queue.splice(0)) t.reject(e);
    for (const s of this.slots) {
      s.task?.reject(e);
      s.task = undefined;
    }
    for (const w of this.readyWaiters.splice(0)) w.ko(e);
    void this.terminateAll();
  }

  private async terminateAll(): Promise<void> {
    await Promise.all(
      this.slots.map((s) => {
        s.state = 'dead';
        return s.port.terminate();
      }),
    );
  }

  /** Reject everything pending with `POOL_CLOSED` and stop every worker. Idempotent. */
  close(): Promise<void> {
    if (this.closing === undefined) {
      const e = closedError();
      for (const t of this.queue.splice(0)) t.reject(e);
      for (const s of this.slots) {
        s.task?.reject(e);
        s.task = undefined;
      }
      for (const w of this.readyWaiters.splice(0)) w.ko(e);
      this.closing = this.terminateAll();
    }
    return this.closing;
  }
}

const closedError = () => new WorkerPoolError('POOL_CLOSED', 'the worker pool is closed');
