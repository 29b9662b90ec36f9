/**
 * The framing shared by every CP-ABE encoding:
 *
 *     "bpds" (4 bytes) | kind (1) | version (1) | scheme id (1) | curve id (1) | body
 *
 * and its PEM-style armor. `kind` says what the bytes are (public key, master key,
 * secret key, CCA ciphertext, CPA encapsulation, streaming ciphertext), so one kind can never be parsed as
 * another. Internal.
 */
import { CurveMismatchError, InvalidEncodingError } from '../../errors.js';
import { ARMOR_LABELS, armorText, dearmorText } from '../../internal/armor.js';
import type { ByteReader, ByteWriter } from '../../internal/codec.js';
import { CURVES, type CurveName, curveById, loadedCurve } from '../../pairing/index.js';
import { type AnyCore, coreById } from '../schemes/index.js';

/** ASCII "bpds". */
export const MAGIC = Uint8Array.of(0x62, 0x70, 0x64, 0x73);
/** Encoding version written by this release. */
export const VERSION = 1;
/** Curve id 1: mcl-wasm BN254 (u = -(2^62 + 2^55 + 1), RELIC/OpenABE BN_P254). */
export const CURVE_BN254 = CURVES.bn254.id;
/** Curve id 2: BLS12-381 (ZCash/IETF compressed points, RFC 9380 hash-to-curve). */
export const CURVE_BLS12_381 = CURVES['bls12-381'].id;

/** What an encoding holds. */
export const KIND = { publicKey: 1, masterKey: 2, secretKey: 3, ciphertext: 4, encapsulation: 5, stream: 6 } as const;
export type Kind = keyof typeof KIND;

const KIND_TEXT: Record<Kind, string> = {
  publicKey: 'CP-ABE public key',
  masterKey: 'CP-ABE master key',
  secretKey: 'CP-ABE secret key',
  ciphertext: 'CP-ABE ciphertext',
  encapsulation: 'CP-ABE encapsulation',
  stream: 'CP-ABE streaming ciphertext',
};

/** Write magic, kind, version, scheme id and curve id. */
export function writeHeader(w: ByteWriter, kind: Kind, core: AnyCore): void {
  w.bytes(MAGIC).u8(KIND[kind]).u8(VERSION).u8(core.id).u8(loadedCurve().id);
}

/** Read and check the framing; return the scheme core named by the scheme id. */
export function readHeader(
  r: ByteReader,
  kind: Kind | readonly Kind[],
): { core: AnyCore; kind: Kind; curve: CurveName } {
  const kinds: readonly Kind[] = typeof kind === 'string' ? [kind] : kind;
  const what = KIND_TEXT[kinds[0] as Kind];
  const magic = r.bytes(4, 'magic');
  if (!magic.every((b, i) => b === MAGIC[i]))
    throw new InvalidEncodingError(`${what}: not a bpds encoding (bad magic)`);
  const k = r.u8('kind');
  const found = kinds.find((x) => KIND[x] === k);
  if (found === undefined) {
    const other = (Object.keys(KIND) as Kind[]).find((x) => KIND[x] === k);
    throw new InvalidEncodingError(
      `${what}: got ${other === undefined ? `unknown kind ${k}` : `a ${KIND_TEXT[other]}`}`,
    );
  }
  const version = r.u8('version');
  if (version !== VERSION) throw new InvalidEncodingError(`${what}: unsupported version ${version}`);
  const id = r.u8('scheme id');
  const core = coreById(id);
  if (core === undefined) throw new InvalidEncodingError(`${what}: unknown scheme id ${id}`);
  const curve = checkCurveId(r.u8('curve id'), what);
  return { core, kind: found, curve };
}

/**
 * The curve named by an encoding's curve id, which must be the loaded one.
 * @throws {CurveMismatchError} for the other supported curve (naming both), InvalidEncodingError for an unknown id.
 */
export function checkCurveId(id: number, what: string): CurveName {
  const c = curveById(id);
  if (c === undefined) throw new InvalidEncodingError(`${what}: unsupported curve id ${id}`);
  const loaded = loadedCurve();
  if (c !== loaded) throw new CurveMismatchError(loaded.name, c.name, what);
  return c.name;
}

/** The curve of an already validated encoding (its header's curve id, byte 7). */
export function curveOfEncoding(bytes: Uint8Array): CurveName {
  return (curveById(bytes[7] ?? 0) ?? CURVES.bn254).name;
}

/** Armor labels, e.g. `-----BEGIN BPDS CPABE PUBLIC KEY-----` (registered in internal/armor.ts). */
export const ARMOR_LABEL: Record<Kind, string> = {
  publicKey: ARMOR_LABELS.cpabePublicKey,
  masterKey: ARMOR_LABELS.cpabeMasterKey,
  secretKey: ARMOR_LABELS.cpabeSecretKey,
  ciphertext: ARMOR_LABELS.cpabeCiphertext,
  encapsulation: ARMOR_LABELS.cpabeEncapsulation,
  stream: ARMOR_LABELS.cpabeStream,
};

/** PEM-style armor: BEGIN line, standard padded base64 in 64-character lines, END line. Linear time. */
export function armor(label: string, bytes: Uint8Array): string {
  return armorText(label, bytes);
}

/** Parse armor with exactly `label`; strict base64 (canonical padding); CRLF and surrounding whitespace allowed. */
export function dearmor(label: string, text: string): Uint8Array {
  return dearmorText(label, text);
}
