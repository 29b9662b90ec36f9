/**
 * The only source of randomness in bpds: the platform CSPRNG
 * (`crypto.getRandomValues`, available in Node >= 20 and every browser). Internal.
 */

/** `n` bytes from the platform CSPRNG. */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  // getRandomValues is limited to 65536 bytes per call.
  for (let o = 0; o < n; o += 65536) {
    globalThis.crypto.getRandomValues(out.subarray(o, Math.min(n, o + 65536)));
  }
  return out;
}
