/**
 * Compile contracts/BpdsPermissions.sol with the pinned solc-js (used by contracts/build.ts and the
 * artifact test). The optimizer is on; `evmVersion` defaults to solc's (`prague` for 0.8.37, which
 * emits PUSH0); pass `london` for chains without PUSH0 such as GoQuorum.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'BpdsPermissions.sol');
/** The EVM version of the committed artifact (Shanghai or later: PUSH0). */
export const DEFAULT_EVM_VERSION = 'cancun';

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
}

export interface Compiled {
  readonly abi: unknown[];
  readonly bytecode: `0x${string}`;
  readonly compiler: string;
  readonly settings: { compiler: string; evmVersion: string; optimizer: { enabled: true; runs: number } };
}

export function compilePermissions(options: { evmVersion?: string | undefined } = {}): Compiled {
  const require = createRequire(import.meta.url);
  const solc = require('solc') as { compile(input: string): string; version(): string };
  const evmVersion = options.evmVersion ?? DEFAULT_EVM_VERSION;
  const optimizer = { enabled: true as const, runs: 200 };
  const input = {
    language: 'Solidity',
    sources: { 'BpdsPermissions.sol': { content: readFileSync(SOURCE, 'utf8') } },
    settings: {
      evmVersion,
      optimizer,
      metadata: { bytecodeHash: 'none', appendCBOR: false },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const c = out.contracts['BpdsPermissions.sol']?.BpdsPermissions;
  if (c === undefined) throw new Error('BpdsPermissions not in the compiler output');
  const compiler = solc.version();
  return {
    abi: c.abi,
    bytecode: `0x${c.evm.bytecode.object}`,
    compiler,
    settings: { compiler, evmVersion, optimizer },
  };
}
