/**
 * `bpds inspect FILE`: what a bpds file is (kind, scheme, curve, policy, sizes), decoded and
 * validated, printed as JSON. It never prints key material: for a secret or master key it
 * shows only the public header (scheme, curve, attribute names, sizes).
 */
import { Presentation, SignedRecord } from '../ces/index.js';
import { Ciphertext, MasterKey, PublicKey, SecretKey } from '../cpabe/index.js';
import { InvalidEncodingError } from '../errors.js';
import { parseRecord } from '../index-record/record.js';
import { parseJsonStrict } from '../internal/strict-json.js';
import type { CommandSpec } from './args.js';
import type { Command } from './command.js';
import { text as armoredText, isArmored } from './cpabe-commands.js';
import { readInput } from './io.js';

const spec: CommandSpec = {
  name: 'inspect',
  summary: 'describe a bpds file: kind, scheme, curve, policy, sizes (never secrets)',
  usage: 'FILE',
  flags: {},
  positional: { min: 1, max: 1, name: 'FILE' },
  details:
    'Understands CP-ABE keys and ciphertexts (armored or binary), CES signed records and\n' +
    'presentations (JSON), and index records (JSON). Everything is fully decoded and validated.',
};

/** Curve ids of the CP-ABE encodings (byte 7 of the binary header). */
const CURVES: Readonly<Record<number, string>> = { 1: 'bn254' };
const MAGIC = [0x62, 0x70, 0x64, 0x73];

type Info = Record<string, unknown>;

function curveOf(bytes: Uint8Array): string {
  return CURVES[bytes[7] as number] ?? `unknown (${bytes[7]})`;
}

function cpabe(bytes: Uint8Array): Info {
  const kind = bytes[4];
  const base = { bytes: bytes.length, curve: curveOf(bytes) };
  switch (kind) {
    case 1:
      return { kind: 'cpabe public key', scheme: PublicKey.fromBytes(bytes).scheme, ...base };
    case 2:
      return { kind: 'cpabe master key', scheme: MasterKey.fromBytes(bytes).scheme, ...base };
    case 3: {
      const sk = SecretKey.fromBytes(bytes);
      return { kind: 'cpabe secret key', scheme: sk.scheme, attributes: sk.attributes, ...base };
    }
    case 4:
    case 5: {
      const ct = Ciphertext.fromBytes(bytes);
      return {
        kind: ct.kind === 'hybrid' ? 'cpabe ciphertext' : 'cpabe encapsulation',
        scheme: ct.scheme,
        policy: ct.policy,
        rows: ct.rows,
        ...base,
        abeBytes: ct.abeBytes,
        headerBytes: ct.headerBytes,
        payloadBytes: ct.payloadBytes,
      };
    }
    default:
      throw new InvalidEncodingError(`not a bpds file (unknown CP-ABE kind ${kind})`);
  }
}

const ARMORED: readonly [string, (t: string) => Uint8Array][] = [
  ['BPDS CPABE PUBLIC KEY', (t) => PublicKey.fromArmored(t).toBytes()],
  ['BPDS CPABE MASTER KEY', (t) => MasterKey.fromArmored(t).toBytes()],
  ['BPDS CPABE SECRET KEY', (t) => SecretKey.fromArmored(t).toBytes()],
  ['BPDS CPABE CIPHERTEXT', (t) => Ciphertext.fromArmored(t).toBytes()],
  ['BPDS CPABE ENCAPSULATION', (t) => Ciphertext.fromArmored(t).toBytes()],
];

function json(text: string): Info {
  const value = parseJsonStrict(text) as { typ?: unknown } | null;
  const typ = typeof value === 'object' && value !== null ? value.typ : undefined;
  if (typ === 'bpds-ces-signed') {
    const s = SignedRecord.fromJSON(text);
    return {
      kind: 'ces signed record',
      scheme: s.scheme,
      documentId: s.documentId,
      fields: s.count,
      issuedAt: s.issuedAt,
    };
  }
  if (typ === 'bpds-ces-presentation') {
    const p = Presentation.fromJSON(text);
    return {
      kind: 'ces presentation',
      scheme: p.scheme,
      documentId: p.documentId,
      fields: p.count,
      disclosed: p.disclosedCount,
      holderBound: p.holderBound,
    };
  }
  const r = parseRecord(text);
  return {
    kind: 'index record',
    recordId: r.recordId,
    patient: r.patient,
    hospital: r.hospital.id,
    createdAt: r.createdAt,
    scheme: r.ciphertext.scheme,
    ciphertextBytes: r.ciphertext.size,
    locator: r.locator,
    signed: r.signature !== undefined,
  };
}

/** Describe `bytes` (exported for tests). */
export function describeFile(bytes: Uint8Array): Info {
  if (isArmored(bytes)) {
    const text = armoredText(bytes);
    const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
    const decode = ARMORED.find(([l]) => l === label)?.[1];
    if (decode === undefined) throw new InvalidEncodingError(`unknown armor label ${JSON.stringify(label ?? '')}`);
    return { armored: true, ...cpabe(decode(text)) };
  }
  if (bytes.length >= 8 && MAGIC.every((b, i) => bytes[i] === b)) return cpabe(bytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new InvalidEncodingError('not a bpds file', { cause });
  }
  if (!/^\s*\{/.test(text)) throw new InvalidEncodingError('not a bpds file');
  return json(text);
}

export const inspectCommand: Command = {
  spec,
  async run(p, ctx) {
    const bytes = await readInput(p.positional[0] as string, ctx.io);
    await ctx.init();
    await ctx.out.add('-', `${JSON.stringify(describeFile(bytes), null, 2)}\n`);
  },
};
