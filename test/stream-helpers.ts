/**
 * Test helpers for WHATWG streams: a stream over bytes in given chunk sizes, a stream
 * that fails after some bytes, and collecting a stream (with what arrived before an error).
 */

/** A ReadableStream yielding `bytes` in chunks of the given sizes (cycled), default one chunk. */
export function streamOf(
  bytes: Uint8Array,
  chunkSizes: readonly number[] = [bytes.length || 1],
): ReadableStream<Uint8Array> {
  let off = 0;
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (off >= bytes.length) {
        c.close();
        return;
      }
      const n = Math.max(1, chunkSizes[i++ % chunkSizes.length] as number);
      c.enqueue(bytes.slice(off, off + n));
      off += n;
    },
  });
}

/** A stream of `bytes` that errors with `error` once `after` bytes were delivered. */
export function failingStream(bytes: Uint8Array, after: number, error: Error): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (off >= after) {
        c.error(error);
        return;
      }
      const n = Math.min(1024, after - off);
      c.enqueue(bytes.slice(off, off + n));
      off += n;
    },
  });
}

/** Read a stream to the end: all bytes, or the bytes received before the error and the error. */
export async function drain(s: ReadableStream<Uint8Array>): Promise<{ bytes: Uint8Array; error?: unknown }> {
  const parts: Uint8Array[] = [];
  const reader = s.getReader();
  let error: unknown;
  let failed = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
    }
  } catch (e) {
    failed = true;
    error = e;
  }
  const n = parts.reduce((a, p) => a + p.length, 0);
  const bytes = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    bytes.set(p, off);
    off += p.length;
  }
  return failed ? { bytes, error } : { bytes };
}

/** Read a stream to the end; throws what the stream errors with. */
export async function collect(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const r = await drain(s);
  if ('error' in r) throw r.error;
  return r.bytes;
}

/** Deterministic pseudo-random bytes (xorshift), for large test inputs without the CSPRNG cost. */
export function pseudoRandom(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Byte equality without vitest's deep-equality cost on large arrays. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
