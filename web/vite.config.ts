/**
 * Vite config of the browser page that runs the BPDS requester's side (decrypt
 * and verify) with the browser build of mcl-wasm. test/browser.test.ts builds it
 * programmatically into a temporary folder; `npx vite web` serves it for manual use.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    target: 'es2022',
    emptyOutDir: true,
    sourcemap: false,
    // The test builds once per run: skip minification and gzip size reports to keep it fast.
    minify: false,
    reportCompressedSize: false,
    // mcl-wasm embeds its WASM as base64 in one large chunk: do not warn about it.
    chunkSizeWarningLimit: 4096,
  },
});
