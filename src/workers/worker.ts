/**
 * The worker script of bpds/workers (dist/worker.js): loads the WebAssembly backend
 * once (`init()`), then runs the tasks and Miller-loop shares its pool sends.
 * Runs in a Node `worker_threads` worker or a browser module Web Worker. Not an entry
 * point for applications: {@link createWorkerPool} starts it.
 *
 * @module workers/worker
 */
import type * as WorkerThreads from 'node:worker_threads';
import { init } from '../pairing/backend.js';
import type { CurveName } from '../pairing/curve.js';
import { WorkerPoolError } from './errors.js';
import { type FromWorker, type ShareJob, type ShareResult, type ToWorker, toWire } from './messages.js';
import { runShare } from './split.js';
import { runTask } from './tasks.js';

interface Port {
  post(m: FromWorker): void;
  listen(f: (m: ToWorker) => void): void;
}

function connect(): Port {
  const p = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } })
    .process;
  if (p?.versions?.node !== undefined && typeof p.getBuiltinModule === 'function') {
    const { parentPort } = p.getBuiltinModule('node:worker_threads') as typeof WorkerThreads;
    if (parentPort === null) throw new Error('bpds/workers: worker.js must run in a worker thread');
    return { post: (m) => parentPort.postMessage(m), listen: (f) => parentPort.on('message', f) };
  }
  const self = globalThis as unknown as {
    postMessage(m: unknown): void;
    addEventListener(t: 'message', f: (e: MessageEvent) => void): void;
  };
  return { post: (m) => self.postMessage(m), listen: (f) => self.addEventListener('message', (e) => f(e.data)) };
}

const port = connect();
/** `init()` on the pool's curve, started by the pool's first message. */
let started: (curve: CurveName) => void;
const ready = new Promise<CurveName>((ok) => {
  started = ok;
}).then((curve) => init({ curve }));
ready.then(
  () => port.post({ t: 'ready' }),
  (e: unknown) => port.post({ t: 'startFailed', message: e instanceof Error ? e.message : String(e) }),
);

/** Pending requests of the running task to the pool (helpers granted, shares answered). */
let grant: ((n: number) => void) | undefined;
const shares = new Map<number, { ok(r: ShareResult): void; ko(e: unknown): void }>();
let current = -1;

async function task(id: number, op: Parameters<typeof runTask>[0], args: unknown, poolSize: number): Promise<void> {
  current = id;
  try {
    await ready;
    const value = await runTask(op, args, {
      poolSize,
      helpers: (want) =>
        want <= 0
          ? Promise.resolve(0)
          : new Promise<number>((ok) => {
              grant = ok;
              port.post({ t: 'helpers', id, want });
            }),
      release: (from) => port.post({ t: 'release', id, from }),
      share: (share, job: ShareJob) =>
        new Promise<ShareResult>((ok, ko) => {
          shares.set(share, { ok, ko });
          port.post({ t: 'share', id, share, job });
        }),
    });
    port.post({ t: 'done', id, value });
  } catch (e) {
    port.post({ t: 'failed', id, error: toWire(e) });
  } finally {
    current = -1;
    grant = undefined;
    shares.clear();
  }
}

port.listen((m) => {
  switch (m.t) {
    case 'init':
      started(m.curve);
      break;
    case 'task':
      void task(m.id, m.op, m.args, m.poolSize);
      break;
    case 'helpers':
      if (m.id === current) grant?.(m.granted);
      break;
    case 'share':
      void ready.then(
        () => {
          let result: ShareResult;
          try {
            result = runShare(m.job);
          } catch {
            result = { bad: 0, miller: new Uint32Array(0) };
          }
          port.post({ t: 'shareDone', id: m.id, share: m.share, result });
        },
        () => {},
      );
      break;
    case 'shareDone':
      if (m.id === current) shares.get(m.share)?.ok(m.result);
      break;
    case 'shareFailed':
      if (m.id === current) shares.get(m.share)?.ko(new WorkerPoolError('WORKER_CRASHED', 'a helper worker crashed'));
      break;
  }
});
