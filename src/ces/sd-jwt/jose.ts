/**
 * The JOSE pieces SD-JWT needs (RFC 7515 JWS compact serialization, RFC 7517 JWK,
 * RFC 7518 ES256, RFC 8812 ES256K, RFC 8037 EdDSA) over the existing CES keys.
 * Internal.
 */
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { InvalidEncodingError } from '../../errors.js';
import { concatBytes, fromBase64url, fromUtf8, toBase64url, utf8 } from '../../internal/bytes.js';
import { type NC, nodeCrypto } from '../../internal/node-crypto.js';
import { parseJsonStrict } from '../../internal/strict-json.js';
import { type SignatureAlgorithm, type SigningKey, signWith, VerifyKey, verifyWith } from '../keys.js';

/** JWS `alg` written for each key algorithm. */
export const JWS_ALG: Readonly<Partial<Record<SignatureAlgorithm, string>>> = {
  ed25519: 'EdDSA',
  p256: 'ES256',
  secp256k1: 'ES256K',
};

/** JWS `alg` values accepted for a key algorithm (`Ed25519` is the fully-specified name, RFC 9864). */
export function algMatches(alg: SignatureAlgorithm, jwsAlg: unknown): boolean {
  if (alg === 'ed25519') return jwsAlg === 'EdDSA' || jwsAlg === 'Ed25519';
  return JWS_ALG[alg] === jwsAlg;
}

/** Largest JOSE part (header, payload) accepted, in characters. */
export const MAX_JOSE_CHARS = 64 * 1024 * 1024;

export const b64json = (v: unknown): string => toBase64url(utf8(JSON.stringify(v)));

/** Decode a base64url JSON object strictly (no duplicate keys, canonical base64url). */
export function decodeJsonPart(part: string, what: string): Record<string, unknown> {
  const v = parseJsonStrict(fromUtf8(fromBase64url(part, what), what), {
    allowFloats: true,
    maxLength: MAX_JOSE_CHARS,
  });
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new InvalidEncodingError(`${what}: not a JSON object`);
  return v as Record<string, unknown>;
}

/** Sign `header.payload` as a compact JWS. */
export function signJws(key: SigningKey, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${b64json(header)}.${b64json(payload)}`;
  return `${input}.${toBase64url(signWith(key, utf8(input)))}`;
}

/** A decoded compact JWS (signature not yet checked). */
export interface Jws {
  readonly input: string;
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly signature: Uint8Array;
}

/** Decode a compact JWS strictly; throws InvalidEncodingError when malformed. */
export function decodeJws(jws: string, what: string): Jws {
  const parts = jws.split('.');
  if (parts.length !== 3) throw new InvalidEncodingError(`${what}: not a compact JWS`);
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJsonPart(h, `${what} header`);
  const payload = decodeJsonPart(p, `${what} payload`);
  const signature = fromBase64url(s, `${what} signature`);
  if (typeof header.alg !== 'string') throw new InvalidEncodingError(`${what}: header without alg`);
  if (header.crit !== undefined) throw new InvalidEncodingError(`${what}: unsupported crit header`);
  return { input: `${h}.${p}`, header, payload, signature };
}

/**
 * Check a JWS signature. ECDSA accepts high-S signatures (JWS does not require low-S,
 * and other issuers produce both), with Node's OpenSSL when available, else
 * @noble/curves; Ed25519 verification is strict (RFC 8032).
 */
export function verifyJws(vk: VerifyKey, jws: Jws): boolean {
  if (!algMatches(vk.algorithm, jws.header.alg) || jws.signature.length !== 64) return false;
  const msg = utf8(jws.input);
  if (vk.algorithm === 'ed25519') return verifyWith(vk, jws.signature, msg);
  const nc = nodeCrypto();
  try {
    if (nc !== null) {
      let key = nodeKeys.get(vk);
      if (key === undefined) {
        key = nc.createPublicKey({ key: toJwk(vk) as never, format: 'jwk' });
        nodeKeys.set(vk, key);
      }
      return nc.verify('sha256', msg, { key, dsaEncoding: 'ieee-p1363' }, jws.signature);
    }
    const curve = vk.algorithm === 'p256' ? p256 : secp256k1;
    return curve.verify(jws.signature, msg, vk.toRaw(), { prehash: true, lowS: false });
  } catch {
    return false;
  }
}

/** Node's OpenSSL key objects for ECDSA verification (much faster than pure JS), by key. */
const nodeKeys = new WeakMap<VerifyKey, ReturnType<NC['createPublicKey']>>();

const CRV: Readonly<Partial<Record<SignatureAlgorithm, string>>> = {
  ed25519: 'Ed25519',
  p256: 'P-256',
  secp256k1: 'secp256k1',
};

/** The public JWK of a key (RFC 7517; OKP per RFC 8037). */
export function toJwk(vk: VerifyKey): Record<string, string> {
  const raw = vk.toRaw();
  if (vk.algorithm === 'ed25519') return { kty: 'OKP', crv: 'Ed25519', x: toBase64url(raw) };
  const curve = vk.algorithm === 'p256' ? p256 : secp256k1;
  const u = curve.Point.fromBytes(raw).toBytes(false);
  return {
    kty: 'EC',
    crv: CRV[vk.algorithm] as string,
    x: toBase64url(u.slice(1, 33)),
    y: toBase64url(u.slice(33, 65)),
  };
}

/** Import a public JWK (Ed25519, P-256 or secp256k1); throws InvalidEncodingError otherwise. */
export function fromJwk(jwk: unknown): VerifyKey {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw new InvalidEncodingError('jwk: not an object');
  }
  const k = jwk as Record<string, unknown>;
  if (k.d !== undefined) throw new InvalidEncodingError('jwk: contains a private key');
  const coord = (name: string) => {
    const v = k[name];
    if (typeof v !== 'string') throw new InvalidEncodingError(`jwk: missing ${name}`);
    const b = fromBase64url(v, `jwk ${name}`);
    if (b.length !== 32) throw new InvalidEncodingError(`jwk: ${name} must be 32 bytes`);
    return b;
  };
  if (k.kty === 'OKP' && k.crv === 'Ed25519') return VerifyKey.fromRaw('ed25519', coord('x'));
  if (k.kty === 'EC' && (k.crv === 'P-256' || k.crv === 'secp256k1')) {
    const alg = k.crv === 'P-256' ? 'p256' : 'secp256k1';
    return VerifyKey.fromRaw(alg, concatBytes(Uint8Array.of(4), coord('x'), coord('y')));
  }
  throw new InvalidEncodingError('jwk: unsupported key type');
}
