// Vitest setup file of the `bls12-381` project (vitest.config.ts): loads BLS12-381 before the
// test file is imported, so every `init()` without arguments in the test resolves to it and the
// same tests run on the second curve (one curve per process; each test file has its own).
import { init } from '../src/pairing/index.js';

await init({ curve: 'bls12-381' });
