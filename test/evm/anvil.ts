/**
 * A real EVM node for the tests: the anvil binary shipped in `@foundry-rs/anvil-linux-amd64`,
 * started on 127.0.0.1 on a free port, ready once `web3_clientVersion` answers, killed by `stop()`.
 * The chain charges no gas (`--gas-price 0 --base-fee 0`, like a consortium network with
 * `gasPrice: 0`), so freshly generated party accounts need no funds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** Path of the anvil binary for this platform, if the npm package ships one. */
export const ANVIL_BIN = join(root, `node_modules/@foundry-rs/anvil-${process.platform}-${archName()}/bin/anvil`);

function archName(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

/** Why the EVM tests skip here, or undefined when anvil is available. */
export const ANVIL_MISSING: string | undefined = existsSync(ANVIL_BIN)
  ? undefined
  : `no anvil binary for ${process.platform}-${process.arch} (expected ${ANVIL_BIN}); EVM tests skipped`;

if (ANVIL_MISSING !== undefined) console.warn(ANVIL_MISSING);

export interface Anvil {
  readonly url: string;
  readonly port: number;
  /** Stop the node (idempotent). */
  stop(): Promise<void>;
  /** JSON-RPC call (test conveniences: evm_increaseTime, evm_mine, anvil_*). */
  rpc(method: string, params?: unknown[]): Promise<unknown>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function rpcCall(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const j = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (j.error !== undefined) throw new Error(`${method}: ${j.error.message}`);
  return j.result;
}

/** Start anvil (extra CLI args appended); resolves once it answers. */
export async function startAnvil(extra: readonly string[] = [], port?: number): Promise<Anvil> {
  if (ANVIL_MISSING !== undefined) throw new Error(ANVIL_MISSING);
  const p = port ?? (await freePort());
  const url = `http://127.0.0.1:${p}`;
  const args = ['--host', '127.0.0.1', '--port', String(p), '--silent', '--gas-price', '0', '--base-fee', '0'];
  const child: ChildProcess = spawn(ANVIL_BIN, [...args, ...extra], { stdio: 'ignore' });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exit;
      clearTimeout(t);
    }
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) throw new Error('anvil exited during start');
    try {
      await rpcCall(url, 'web3_clientVersion');
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error('anvil did not answer within 15 s');
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url, port: p, stop, rpc: (m, params) => rpcCall(url, m, params) };
}
