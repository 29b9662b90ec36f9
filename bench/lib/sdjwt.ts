/**
 * The SD-JWT peer (@sd-jwt/core + @sd-jwt/crypto-nodejs, RFC 9901 style
 * selective disclosure): issue with every leaf selectively disclosable,
 * present a subset, verify. Loaded dynamically so the bench runs without it.
 */
import { type Json, leafPaths, type Path } from './fhir.js';

type Frame = { _sd?: (string | number)[]; [k: string]: unknown };

/** A disclosure frame making every leaf of `v` selectively disclosable. */
export function disclosureFrame(v: Json): Frame | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const frame: Frame = { _sd: [] };
  const entries: [string | number, Json][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  for (const [k, x] of entries) {
    const isLeaf =
      x === null || typeof x !== 'object' || (Array.isArray(x) ? x.length === 0 : Object.keys(x).length === 0);
    if (isLeaf) frame._sd!.push(k);
    else frame[String(k)] = disclosureFrame(x);
  }
  return frame;
}

/** A presentation frame selecting the given leaf paths. */
export function presentationFrame(paths: readonly Path[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of paths) {
    let node = root;
    p.forEach((k, i) => {
      const key = String(k);
      if (i === p.length - 1) node[key] = true;
      else {
        if (node[key] === undefined) node[key] = {};
        node = node[key] as Record<string, unknown>;
      }
    });
  }
  return root;
}

export interface SdJwtPeer {
  version: string;
  issue(record: Json): Promise<string>;
  present(sdjwt: string, paths: readonly Path[]): Promise<string>;
  verify(presentation: string): Promise<unknown>;
}

interface SdJwtCore {
  SDJwtInstance: new (
    config: Record<string, unknown>,
  ) => {
    issue(payload: unknown, frame?: unknown): Promise<string>;
    present(sdjwt: string, frame?: unknown): Promise<string>;
    verify(sdjwt: string): Promise<{ payload: unknown }>;
  };
}
interface SdJwtCrypto {
  digest: (data: string | ArrayBuffer, alg?: string) => Uint8Array;
  generateSalt: (len: number) => string;
  ES256: {
    alg: string;
    generateKeyPair(): Promise<{ publicKey: object; privateKey: object }>;
    getSigner(k: object): Promise<(data: string) => Promise<string>>;
    getVerifier(k: object): Promise<(data: string, sig: string) => Promise<boolean>>;
  };
}

/** The peer with an ES256 issuer key, or a reason why it is unavailable. */
export async function sdJwtPeer(version: string): Promise<SdJwtPeer | string> {
  let core: SdJwtCore;
  let crypto: SdJwtCrypto;
  try {
    core = (await import('@sd-jwt/core')) as unknown as SdJwtCore;
    crypto = (await import('@sd-jwt/crypto-nodejs')) as unknown as SdJwtCrypto;
  } catch (e) {
    return `@sd-jwt/core or @sd-jwt/crypto-nodejs not installed (${(e as Error).message.split('\n')[0]})`;
  }
  const { publicKey, privateKey } = await crypto.ES256.generateKeyPair();
  const sd = new core.SDJwtInstance({
    signer: await crypto.ES256.getSigner(privateKey),
    verifier: await crypto.ES256.getVerifier(publicKey),
    signAlg: crypto.ES256.alg,
    hasher: crypto.digest,
    hashAlg: 'sha-256',
    saltGenerator: crypto.generateSalt,
  });
  const frames = new WeakMap<object, Frame | undefined>();
  return {
    version,
    issue: (record) => {
      const key = record as object;
      if (!frames.has(key)) frames.set(key, disclosureFrame(record));
      return sd.issue(record, frames.get(key));
    },
    present: (token, paths) => sd.present(token, presentationFrame(paths)),
    verify: async (token) => (await sd.verify(token)).payload,
  };
}

/**
 * Non-empty leaf paths of a verified payload, minus JWT registered claims. SD-JWT keeps the
 * structure around hidden leaves (empty objects and arrays), which this skips.
 */
export function disclosedLeaves(payload: unknown): Path[] {
  const p = { ...(payload as Record<string, Json>) };
  for (const k of ['_sd_alg', 'iat', 'iss', 'cnf', 'exp', 'nbf']) delete p[k];
  return leafPaths(p).filter((path) => {
    let v: Json | undefined = p;
    for (const k of path) v = (v as Record<string, Json>)[k];
    return v === null || typeof v !== 'object';
  });
}
