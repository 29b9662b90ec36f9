/**
 * PEM-style armor in linear time and bounded memory: a BEGIN line, standard padded
 * base64 (RFC 4648 §4) in 64-character lines, an END line (the layout of RFC 7468).
 * Encoding writes ASCII into a fixed-size scratch buffer and appends one string per
 * 48 KiB of input, so the result is the only large allocation (about 1.37 times the
 * input); decoding reads the text once and writes the bytes straight into their
 * final buffer. Internal.
 */
import { InvalidEncodingError } from '../errors.js';

/**
 * Every armored kind of bpds and its one label (`-----BEGIN <label>-----`). Each kind that
 * has an armored text form registers here, and only here, so no two kinds share a label and
 * readers (the CLI's `inspect`) can name a file from its BEGIN line.
 */
export const ARMOR_LABELS = {
  cpabePublicKey: 'BPDS CPABE PUBLIC KEY',
  cpabeMasterKey: 'BPDS CPABE MASTER KEY',
  cpabeSecretKey: 'BPDS CPABE SECRET KEY',
  cpabeCiphertext: 'BPDS CPABE CIPHERTEXT',
  cpabeEncapsulation: 'BPDS CPABE ENCAPSULATION',
  cpabeStream: 'BPDS CPABE STREAM',
  cesSigningKey: 'BPDS CES SIGNING KEY',
  cesVerifyKey: 'BPDS CES VERIFY KEY',
} as const;

/** A registered armored kind. */
export type ArmorKind = keyof typeof ARMOR_LABELS;

/** The registered kind whose label opens `text` (after leading whitespace), if any. */
export function armorKindOf(text: string): ArmorKind | undefined {
  const label = /^\s*-----BEGIN ([A-Z0-9 ]+)-----/.exec(text.slice(0, 128))?.[1];
  return (Object.keys(ARMOR_LABELS) as ArmorKind[]).find((k) => ARMOR_LABELS[k] === label);
}

/** Armor `bytes` as `kind` (its registered label). */
export function armorAs(kind: ArmorKind, bytes: Uint8Array): string {
  return armorText(ARMOR_LABELS[kind], bytes);
}

/**
 * Decode armor of `kind` (its registered label only).
 *
 * @throws InvalidEncodingError for another label or a malformed body
 */
export function dearmorAs(kind: ArmorKind, text: string): Uint8Array {
  return dearmorText(ARMOR_LABELS[kind], text);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENC = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const DEC = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) DEC[ENC[i] as number] = i;

const EQ = 0x3d;
const LF = 0x0a;
const CR = 0x0d;
/** Input bytes per line (64 base64 characters). */
const LINE = 48;
/** Lines encoded per scratch buffer. */
const LINES_PER_CHUNK = 1024;
const ascii = new TextDecoder();

/** Encode `bytes` as armor with `label`. */
export function armorText(label: string, bytes: Uint8Array): string {
  const scratch = new Uint8Array(LINES_PER_CHUNK * 65);
  let out = `-----BEGIN ${label}-----\n`;
  const n = bytes.length;
  for (let start = 0; start < n; start += LINE * LINES_PER_CHUNK) {
    const end = Math.min(n, start + LINE * LINES_PER_CHUNK);
    let o = 0;
    for (let line = start; line < end; line += LINE) {
      const stop = Math.min(end, line + LINE);
      let i = line;
      for (; i + 2 < stop; i += 3) {
        const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
        scratch[o] = ENC[v >>> 18] as number;
        scratch[o + 1] = ENC[(v >>> 12) & 63] as number;
        scratch[o + 2] = ENC[(v >>> 6) & 63] as number;
        scratch[o + 3] = ENC[v & 63] as number;
        o += 4;
      }
      const rest = stop - i;
      if (rest > 0) {
        const v = ((bytes[i] as number) << 16) | (rest === 2 ? (bytes[i + 1] as number) << 8 : 0);
        scratch[o] = ENC[v >>> 18] as number;
        scratch[o + 1] = ENC[(v >>> 12) & 63] as number;
        scratch[o + 2] = rest === 2 ? (ENC[(v >>> 6) & 63] as number) : EQ;
        scratch[o + 3] = EQ;
        o += 4;
      }
      scratch[o++] = LF;
    }
    out += ascii.decode(scratch.subarray(0, o));
  }
  return `${out}-----END ${label}-----\n`;
}

/** Skip ASCII whitespace (space, tab, CR, LF) from `i` in direction `step`. */
function skipSpace(text: string, i: number, step: 1 | -1): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== CR && c !== LF) return i;
    i += step;
  }
}

/**
 * Decode armor with exactly `label`: strict base64 with canonical padding; lines of any
 * length, LF or CRLF line ends, whitespace around the block allowed.
 *
 * @throws InvalidEncodingError for another label, a character outside the alphabet,
 *   misplaced or missing padding, or non-zero trailing bits
 */
export function dearmorText(label: string, text: string): Uint8Array {
  const begin = `-----BEGIN ${label}-----`;
  const endLine = `-----END ${label}-----`;
  const bad = (): never => {
    throw new InvalidEncodingError(`armor: expected ${begin} ... ${endLine}`);
  };
  let from = skipSpace(text, 0, 1);
  const to = skipSpace(text, text.length - 1, -1) + 1;
  if (!text.startsWith(begin, from) || to - endLine.length < from + begin.length) bad();
  if (text.slice(to - endLine.length, to) !== endLine) bad();
  from += begin.length;
  const stop = to - endLine.length;
  // the BEGIN and END lines must be lines of their own
  if (text.charCodeAt(from) === CR) from++;
  if (from >= stop || text.charCodeAt(from) !== LF) bad();
  if (stop > from && text.charCodeAt(stop - 1) !== LF) bad();
  const invalid = (): never => {
    throw new InvalidEncodingError('armor: invalid base64 body');
  };
  const out = new Uint8Array(Math.floor(((stop - from) * 3) / 4) + 3);
  let o = 0;
  let acc = 0;
  let count = 0;
  let pad = 0;
  for (let i = from; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) continue;
    if (c === CR) {
      if (text.charCodeAt(i + 1) !== LF) invalid();
      continue;
    }
    if (c === EQ) {
      pad++;
      continue;
    }
    const v = c < 128 ? (DEC[c] as number) : -1;
    if (v < 0 || pad > 0) invalid();
    acc = (acc << 6) | v;
    if (++count % 4 === 0) {
      out[o] = acc >>> 16;
      out[o + 1] = (acc >>> 8) & 0xff;
      out[o + 2] = acc & 0xff;
      o += 3;
      acc = 0;
    }
  }
  const rest = count % 4;
  if (rest === 1 || pad !== (4 - rest) % 4) invalid();
  if (rest === 2) {
    if ((acc & 0xf) !== 0) invalid();
    out[o++] = acc >>> 4;
  } else if (rest === 3) {
    if ((acc & 0x3) !== 0) invalid();
    out[o++] = acc >>> 10;
    out[o++] = (acc >>> 2) & 0xff;
  }
  return out.subarray(0, o);
}
