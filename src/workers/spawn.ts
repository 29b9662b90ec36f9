/**
 * Starting one worker: Node `worker_threads` or a browser Web Worker behind one small
 * interface. Internal.
 *
 * The worker script is `./worker.js` next to this module (dist/worker.js in the
 * package), written as `new Worker(new URL('./worker.js', import.meta.url))` so that
 * bundlers that understand that pattern (Vite, webpack 5, Parcel) emit the worker
 * bundle. `workerUrl` overrides it. Node's built-ins are reached through
 * `process.getBuiltinModule` (Node >= 20.16), so nothing here imports a Node module
 * and browser bundles stay clean. Run from the TypeScript sources (tests, `tsx`), the
 * Node worker is `./worker.ts` bundled once per process by esbuild (a devDependency)
 * into `.tmp/workers/` of the repository.
 */
import type * as NodeFs from 'node:fs';
import type * as NodeModule from 'node:module';
import type * as NodeUrl from 'node:url';
import type * as WorkerThreads from 'node:worker_threads';

/** The pool's view of one worker. */
export interface WorkerPort {
  post(msg: unknown): void;
  /** Stop the worker; resolves when it has exited. */
  terminate(): Promise<void>;
  /** Node only (no-ops in browsers): whether an idle worker keeps the process alive. */
  ref(): void;
  unref(): void;
}

/** What a worker reports: a message, or its death (an uncaught error or an unexpected exit). */
export interface WorkerEvents {
  message(msg: unknown): void;
  crash(error: unknown): void;
}

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule(id: string): unknown;
}

function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: Partial<NodeProcess> }).process;
  return p?.versions?.node !== undefined && typeof p.getBuiltinModule === 'function' ? (p as NodeProcess) : undefined;
}

/** Whether workers are Node `worker_threads` here. */
export const isNode = (): boolean => nodeProcess() !== undefined;

/** The number of logical CPUs (the default pool size). */
export function hardwareConcurrency(): number {
  const p = nodeProcess();
  if (p !== undefined) {
    const os = p.getBuiltinModule('node:os') as { availableParallelism(): number };
    return os.availableParallelism();
  }
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && n > 0 ? n : 1;
}

/** Start a worker. */
export function spawnWorker(workerUrl: string | URL | undefined, on: WorkerEvents): WorkerPort {
  const p = nodeProcess();
  return p !== undefined ? spawnNode(p, workerUrl, on) : spawnWeb(workerUrl, on);
}

/** From the TypeScript sources (tests, tsx): worker.ts bundled once per process with esbuild (a devDependency). */
let bundled: URL | undefined;
function sourceWorker(p: NodeProcess, here: string): URL {
  if (bundled !== undefined) return bundled;
  const { createRequire } = p.getBuiltinModule('node:module') as typeof NodeModule;
  const { fileURLToPath, pathToFileURL } = p.getBuiltinModule('node:url') as typeof NodeUrl;
  const { mkdirSync } = p.getBuiltinModule('node:fs') as typeof NodeFs;
  const esbuild = createRequire(here)('esbuild') as {
    buildSync(o: Record<string, unknown>): unknown;
  };
  const root = fileURLToPath(new URL('../../', here));
  const dir = `${root}.tmp/workers`;
  mkdirSync(dir, { recursive: true });
  const out = `${dir}/worker-${(p as unknown as { pid: number }).pid}.mjs`;
  esbuild.buildSync({
    entryPoints: [fileURLToPath(new URL('./worker.ts', here))],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  bundled = pathToFileURL(out);
  return bundled;
}

function spawnNode(p: NodeProcess, workerUrl: string | URL | undefined, on: WorkerEvents): WorkerPort {
  const wt = p.getBuiltinModule('node:worker_threads') as typeof WorkerThreads;
  const here = import.meta.url;
  let w: WorkerThreads.Worker;
  if (workerUrl === undefined && here.endsWith('.ts')) {
    w = new wt.Worker(sourceWorker(p, here));
  } else {
    w = new wt.Worker(workerUrl ?? new URL('./worker.js', here));
  }
  let stopping = false;
  let exited = false;
  const exit = new Promise<void>((ok) => w.once('exit', () => ok()));
  w.on('message', (m) => on.message(m));
  w.on('error', (e) => {
    if (!stopping) on.crash(e);
  });
  w.on('exit', (code) => {
    exited = true;
    if (!stopping) on.crash(new Error(`worker exited with code ${code}`));
  });
  return {
    post: (m) => w.postMessage(m),
    terminate: async () => {
      stopping = true;
      if (!exited) await w.terminate();
      await exit;
    },
    ref: () => w.ref(),
    unref: () => w.unref(),
  };
}

function spawnWeb(workerUrl: string | URL | undefined, on: WorkerEvents): WorkerPort {
  const w =
    workerUrl === undefined
      ? new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })
      : new Worker(workerUrl, { type: 'module' });
  let stopping = false;
  w.onmessage = (e: MessageEvent) => on.message(e.data);
  w.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    if (!stopping) on.crash(new Error(e.message || 'worker error'));
  };
  w.onmessageerror = () => {
    if (!stopping) on.crash(new Error('worker message could not be deserialized'));
  };
  return {
    post: (m) => w.postMessage(m),
    terminate: async () => {
      stopping = true;
      w.terminate();
    },
    ref: () => {},
    unref: () => {},
  };
}
