#!/usr/bin/env node
/**
 * Executable entry of the `bpds` command (package.json `bin`): runs {@link main} on the
 * process's arguments and standard streams and exits with its status.
 */
import { main } from './main.js';

declare const __BPDS_VERSION__: string | undefined;
const version = typeof __BPDS_VERSION__ === 'string' ? __BPDS_VERSION__ : '0.0.0';

void main(process.argv.slice(2), process, version).then((status) => {
  process.exitCode = status;
});
