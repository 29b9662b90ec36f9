#!/usr/bin/env node
// `npm run mutate`: the Stryker CLI (stryker.config.json), started under Node 20.
//
// Stryker 10 declares `engines.node >= 22` and its CLI module refuses older versions at import
// time. bpds supports and tests on Node 20.19+, and Stryker's mutation run works on it (measured:
// every folder of the scope ran to completion here on Node 20.20), so this launcher reports a
// Node 22 version string to that one guard only, then hands the arguments to Stryker's own CLI.
// Every other module sees the real process.version again before any test runs.
const real = process.version;
const major = Number(real.slice(1).split('.')[0]);
if (major < 22) Object.defineProperty(process, 'version', { value: 'v22.0.0', configurable: true });
const { StrykerCli } = await import('@stryker-mutator/core');
Object.defineProperty(process, 'version', { value: real, configurable: true });
process.title = 'stryker';
new StrykerCli(process.argv).run();
