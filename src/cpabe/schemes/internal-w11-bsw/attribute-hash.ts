/**
 * The random-oracle attribute hash H : {0,1}* -> G1 shared by Waters11 (large
 * universe) and BSW07, with a bounded cache. Internal.
 *
 * H(x) = hashToG1(dst, utf8(x)): mcl's hash-and-map (a real hash to the curve,
 * discrete logarithm unknown), never g^{h(x)} (see docs/cpabe-waters11-bsw07.md).
 * Each scheme uses its own domain-separation tag.
 */
import { InvalidArgumentError } from '../../../errors.js';
import { isWellFormed, utf8 } from '../../../internal/bytes.js';
import { type G1, hashToG1 } from '../../../pairing/index.js';
import { MAX_LABEL_BYTES } from './limits.js';

/**
 * A cached attribute hasher for one domain-separation tag.
 * @example
 * ```ts
 * const H = new AttributeHasher('bpds/v1/cpabe/waters11/H');
 * const h = H.hash('doctor'); // a G1 point; the second call is a cache hit
 * ```
 */
export class AttributeHasher {
  readonly #dst: string;
  readonly #max: number;
  readonly #cache = new Map<string, G1>();

  /** `max` bounds the cache; the oldest entry is evicted first. */
  constructor(dst: string, max = 4096) {
    this.#dst = dst;
    this.#max = max;
  }

  /**
   * H(label) in G1.
   * @throws {InvalidArgumentError} for a label with a lone surrogate or longer than the limit.
   */
  hash(label: string): G1 {
    const hit = this.#cache.get(label);
    if (hit !== undefined) return hit;
    if (!isWellFormed(label)) throw new InvalidArgumentError('"attribute" contains a lone surrogate');
    const bytes = utf8(label);
    if (bytes.length === 0 || bytes.length > MAX_LABEL_BYTES) {
      throw new InvalidArgumentError(`"attribute" must be 1 to ${MAX_LABEL_BYTES} UTF-8 bytes, got ${bytes.length}`);
    }
    const h = hashToG1(this.#dst, bytes);
    if (this.#cache.size >= this.#max) {
      const oldest = this.#cache.keys().next();
      if (oldest.done !== true) this.#cache.delete(oldest.value);
    }
    this.#cache.set(label, h);
    return h;
  }

  /** Number of cached hashes (for tests). */
  get size(): number {
    return this.#cache.size;
  }
}
