/** The machine a run was measured on: CPU model, cores, Node and mcl-wasm versions. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  node: string;
  mclWasm: string;
  bpds: string;
  date: string;
  /** 1-minute load average when the run started (a busy shared machine inflates medians). */
  loadAverage: number;
}

/** The installed version of a package, even when its `exports` hide package.json. */
function pkgVersion(spec: string): string {
  const req = createRequire(import.meta.url);
  const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
  try {
    return read(req.resolve(`${spec}/package.json`)).version ?? 'unknown';
  } catch {
    // Walk up from the entry point to the package's own package.json.
  }
  try {
    let dir = dirname(req.resolve(spec));
    for (let i = 0; i < 8; i++) {
      const p = join(dir, 'package.json');
      if (existsSync(p)) {
        const pkg = read(p);
        if (pkg.name === spec) return pkg.version ?? 'unknown';
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed
  }
  return 'unknown';
}

function ownVersion(): string {
  try {
    const url = new URL('../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: (cpus[0]?.model ?? 'unknown').trim(),
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    mclWasm: pkgVersion('mcl-wasm'),
    bpds: ownVersion(),
    date: new Date().toISOString(),
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

/** Version of an installed package, or null when it is not installed. */
export function installedVersion(spec: string): string | null {
  const v = pkgVersion(spec);
  return v === 'unknown' ? null : v;
}
