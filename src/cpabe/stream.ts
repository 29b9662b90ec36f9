/**
 * Streaming CCA-secure hybrid encryption: the CP-ABE header of `encrypt` (key
 * encapsulation made CCA secure by the Fujisaki–Okamoto transform, E. Fujisaki and
 * T. Okamoto, CRYPTO 1999 / J. Cryptology 2013) followed by the STREAM online
 * authenticated encryption of V. T. Hoang, R. Reyhanitabar, P. Rogaway and D. Vizár,
 * "Online Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance", CRYPTO 2015,
 * instantiated with AES-256-GCM (WebCrypto). Format and argument: docs/storage.md.
 *
 * encryptStream(pk, policy, source):
 *   header as in `encrypt`, with kind 6 and the segment size in the prefix
 *   (key, P7) = HKDF(sigma, pk, "…/stream/aes-256-gcm" | H(header))
 *   segment i = AES-256-GCM_key(P7 | u32be(i) | last, m_i, ad = H("…/stream/ad", header, AD))
 * decryptStream: header parsed and CCA-checked before the stream is returned; each
 * segment's plaintext is released only after its tag verifies; the last segment is the
 * one that ends the input, and only a segment sealed with the last flag may end it.
 */
import { DecryptionError, InvalidArgumentError } from '../errors.js';
import { assertBytes, assertInteger, assertObject } from '../internal/assert.js';
import { assertReadableStream, ByteQueue } from '../internal/byte-queue.js';
import { concatBytes } from '../internal/bytes.js';
import { ByteWriter } from '../internal/codec.js';
import { randomBytes } from '../internal/random.js';
import type { Policy } from '../policy/index.js';
import { SIGMA_BYTES } from './ciphertext.js';
import { foMask, foStream, headerDigest, streamAd, streamKey, xor32 } from './internal/kdf.js';
import { preparePolicy } from './internal/policy-bridge.js';
import {
  DEFAULT_SEGMENT_SIZE,
  MAX_SEGMENT_SIZE,
  MAX_SEGMENTS,
  MIN_SEGMENT_SIZE,
  readStreamHeader,
  segmentNonce,
  TAG,
  writeStreamPrefix,
} from './internal/stream-format.js';
import { decapsulateParts } from './kem.js';
import { type PublicKey, publicKeyInner, type SecretKey, secretKeyInner } from './keys.js';

/** Options of {@link encryptStream} and {@link decryptStream}. */
export interface StreamOptions {
  /** Extra data authenticated (not encrypted) with every segment; decryption must pass the same bytes. */
  readonly associatedData?: Uint8Array;
  /** Plaintext bytes per segment (encryption only; 16 B .. 16 MiB, default 64 KiB). Stored in the header. */
  readonly segmentSize?: number;
}

/** Segments encrypted or decrypted concurrently (WebCrypto runs them off the main thread). */
const IN_FLIGHT = 4;

const subtle = () => globalThis.crypto.subtle;

function streamOptions(o: unknown): { ad: Uint8Array; segmentSize: number } {
  if (o === undefined) return { ad: new Uint8Array(0), segmentSize: DEFAULT_SEGMENT_SIZE };
  assertObject(o, 'options');
  const { associatedData, segmentSize } = o as StreamOptions;
  if (associatedData !== undefined) assertBytes(associatedData, 'options.associatedData');
  if (segmentSize !== undefined) {
    assertInteger(segmentSize, 'options.segmentSize', MIN_SEGMENT_SIZE);
    if (segmentSize > MAX_SEGMENT_SIZE) {
      throw new InvalidArgumentError(`"options.segmentSize" must be at most ${MAX_SEGMENT_SIZE}`);
    }
  }
  return { ad: associatedData ?? new Uint8Array(0), segmentSize: segmentSize ?? DEFAULT_SEGMENT_SIZE };
}

async function importKey(key: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  return subtle().importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [usage]);
}

const ignore = () => undefined;

/**
 * The pipelined segment loop shared by both directions: `next()` reads the next segment
 * (or null at the end) and starts its crypto; up to IN_FLIGHT run at once; results are
 * released strictly in order, and the first failure errors the stream and cancels the source.
 */
function pipeline(
  q: ByteQueue,
  next: () => Promise<{ work: Promise<Uint8Array> } | null>,
  first?: Uint8Array,
): ReadableStream<Uint8Array> {
  const inflight: Promise<Uint8Array>[] = [];
  let ended = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (first !== undefined) controller.enqueue(first);
      },
      async pull(controller) {
        try {
          while (!ended && inflight.length < IN_FLIGHT) {
            const n = await next();
            if (n === null) {
              ended = true;
              break;
            }
            const p = n.work;
            p.catch(ignore); // awaited below in order; never an unhandled rejection
            inflight.push(p);
          }
          const head = inflight.shift();
          if (head === undefined) {
            q.release();
            controller.close();
            return;
          }
          controller.enqueue(await head);
        } catch (e) {
          ended = true;
          inflight.length = 0;
          controller.error(e);
          await q.cancel(e);
        }
      },
      async cancel(reason) {
        ended = true;
        inflight.length = 0;
        await q.cancel(reason);
      },
    },
    { highWaterMark: 1 },
  );
}

/**
 * Encrypt a stream so that exactly the keys whose attributes satisfy `policy` can decrypt
 * it, in constant memory whatever its length. CCA secure: the same Fujisaki–Okamoto header
 * as {@link encrypt}; the payload is the STREAM construction (Hoang–Reyhanitabar–Rogaway–Vizár,
 * CRYPTO 2015) over AES-256-GCM with `segmentSize`-byte segments. The output is a
 * different format from `encrypt` (its own kind byte): read it with {@link decryptStream}.
 * Errors of `source` end the output stream with the same error.
 *
 * @throws {InvalidArgumentError} for bad argument types or options.
 * @throws {PolicySyntaxError} for bad policy text, `not`, or (FAME) an attribute repeated more than `maxRepeats` times.
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { encryptStream, setup } from 'bpds/cpabe';
 * await init();
 * const { publicKey } = setup();
 * const source = new Blob([new Uint8Array(1_000_000)]).stream();
 * const encrypted = await encryptStream(publicKey, 'cardiology and doctor', source);
 * const bytes = new Uint8Array(await new Response(encrypted).arrayBuffer());
 * ```
 */
export async function encryptStream(
  publicKey: PublicKey,
  policy: string | Policy,
  source: ReadableStream<Uint8Array>,
  opts?: StreamOptions,
): Promise<ReadableStream<Uint8Array>> {
  const pub = publicKeyInner(publicKey);
  assertReadableStream(source, 'source');
  const { ad, segmentSize } = streamOptions(opts);
  const prepared = preparePolicy(policy, 'policy');
  const prefix = writeStreamPrefix(pub.core, segmentSize, prepared.text);
  const sigma = randomBytes(SIGMA_BYTES);
  const { ct, key: Z } = pub.core.encapsulate(pub.pk, prepared.lsss, foStream(sigma, pub.digest, prefix));
  const abe = new ByteWriter();
  pub.core.writeCiphertext(abe, ct);
  const body = new ByteWriter().bytes(prefix).varBytes(abe.finish()).finish();
  const header = concatBytes(body, xor32(sigma, foMask(Z, pub.digest, headerDigest(body))));
  const { key, noncePrefix } = streamKey(sigma, pub.digest, headerDigest(header));
  const aesKey = await importKey(key, 'encrypt');
  const additionalData = streamAd(header, ad) as Uint8Array<ArrayBuffer>;
  const q = new ByteQueue(source, 'encryptStream source');
  let index = 0;
  let done = false;
  return pipeline(
    q,
    async () => {
      if (done) return null;
      const full = await q.fill(segmentSize + 1);
      const last = !full;
      if (!last && index === MAX_SEGMENTS - 1) {
        throw new InvalidArgumentError(`"source" longer than ${MAX_SEGMENTS} segments of ${segmentSize} bytes`);
      }
      const plain = q.take(last ? q.length : segmentSize);
      const iv = segmentNonce(noncePrefix, index++, last);
      done = last;
      const work = subtle()
        .encrypt({ name: 'AES-GCM', iv, additionalData }, aesKey, plain as Uint8Array<ArrayBuffer>)
        .then((b) => new Uint8Array(b));
      return { work };
    },
    header,
  );
}

/**
 * Decrypt a stream made by {@link encryptStream}. The header is read, validated and
 * CCA-checked before the returned promise resolves (so policy, format and CCA failures
 * throw here, before any plaintext). Then every segment's plaintext is released only after
 * its tag verifies. A failure half-way (tampering, truncation, reordering, duplication,
 * splicing, extra bytes) ERRORS the returned stream with `DecryptionError`: every chunk
 * already received is authentic, but the plaintext is incomplete, and only a stream that
 * closes normally is the whole plaintext. Errors of `source` end the stream with that error.
 *
 * @throws {InvalidArgumentError} for bad argument types.
 * @throws {InvalidEncodingError} for a malformed header, or a whole-buffer `encrypt` ciphertext.
 * @throws {PolicyNotSatisfiedError} when the key's attributes do not satisfy the policy (before any pairing).
 * @throws {DecryptionError} for every other header failure (tampering, wrong setup, scheme mismatch).
 * @example
 * ```ts
 * import { init } from 'bpds';
 * import { decryptStream, encryptStream, keygen, setup } from 'bpds/cpabe';
 * await init();
 * const { publicKey, masterKey } = setup();
 * const encrypted = await encryptStream(publicKey, 'a and b', new Blob(['EMR']).stream());
 * const plain = await decryptStream(keygen(masterKey, ['a', 'b']), encrypted);
 * const text = await new Response(plain).text(); // 'EMR'
 * ```
 */
export async function decryptStream(
  secretKey: SecretKey,
  source: ReadableStream<Uint8Array>,
  opts?: Pick<StreamOptions, 'associatedData'>,
): Promise<ReadableStream<Uint8Array>> {
  const sec = secretKeyInner(secretKey);
  assertReadableStream(source, 'source');
  const { ad } = streamOptions(opts);
  const q = new ByteQueue(source, 'decryptStream source');
  let aesKey: CryptoKey;
  let noncePrefix: Uint8Array;
  let additionalData: Uint8Array<ArrayBuffer>;
  let segmentSize: number;
  try {
    const h = await readStreamHeader(q);
    segmentSize = h.segmentSize;
    const Z = decapsulateParts(secretKey, h.core, h.prepared, h.ct); // PolicyNotSatisfiedError before any pairing
    const pub = publicKeyInner(sec.publicKey);
    const sigma = xor32(h.cSigma, foMask(Z, pub.digest, headerDigest(h.body)));
    let ok: boolean;
    try {
      ok = sec.core.checkEncapsulation(pub.pk, h.prepared.lsss, h.ct, foStream(sigma, pub.digest, h.prefix));
    } catch (cause) {
      throw new DecryptionError(undefined, { cause });
    }
    if (!ok) throw new DecryptionError();
    const k = streamKey(sigma, pub.digest, headerDigest(h.header));
    noncePrefix = k.noncePrefix;
    aesKey = await importKey(k.key, 'decrypt');
    additionalData = streamAd(h.header, ad) as Uint8Array<ArrayBuffer>;
  } catch (e) {
    await q.cancel(e);
    throw e;
  }
  const sealed = segmentSize + TAG;
  let index = 0;
  let done = false;
  return pipeline(q, async () => {
    if (done) return null;
    // One byte of look-ahead decides whether this segment ends the input.
    const more = await q.fill(sealed + 1);
    const last = !more;
    if (last && q.length < TAG) throw new DecryptionError(); // truncated
    if (!last && index === MAX_SEGMENTS - 1) throw new DecryptionError();
    const segment = q.take(last ? q.length : sealed);
    const iv = segmentNonce(noncePrefix, index++, last);
    done = last;
    const work = subtle()
      .decrypt({ name: 'AES-GCM', iv, additionalData }, aesKey, segment as Uint8Array<ArrayBuffer>)
      .then(
        (b) => new Uint8Array(b),
        (cause: unknown) => {
          throw new DecryptionError(undefined, { cause });
        },
      );
    return { work };
  });
}
