/**
 * `bpds inspect FILE`: what a bpds file is (kind, scheme, curve, policy, sizes), decoded and
 * validated, printed as JSON. It never prints key material: for a secret or master key it
 * shows only the public header (scheme, curve, attribute names, sizes).
 */
import { Presentation, SignedRecord, SigningKey, VerifyKey } from '../ces/index.js';
import { Ciphertext, MasterKey, PublicKey, SecretKey } from '../cpabe/index.js';
import { InvalidEncodingError } from '../errors.js';
import { MerkleProof } from '../index-record/merkle.js';
import { parseRecord } from '../index-record/record.js';
import { type ArmorKind, armorKindOf } from '../internal/armor.js';
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

/** Each armored kind (the shared label registry) and how to read it: the CP-ABE bytes or a description. */
const ARMORED: Readonly<Record<ArmorKind, (t: string) => Info>> = {
  cpabePublicKey: (t) => cpabe(PublicKey.fromArmored(t).toBytes()),
  cpabeMasterKey: (t) => cpabe(MasterKey.fromArmored(t).toBytes()),
  cpabeSecretKey: (t) => cpabe(SecretKey.fromArmored(t).toBytes()),
  cpabeCiphertext: (t) => cpabe(Ciphertext.fromArmored(t).toBytes()),
  cpabeEncapsulation: (t) => cpabe(Ciphertext.fromArmored(t).toBytes()),
  cpabeStream: () => {
    throw new InvalidEncodingError('a streaming ciphertext: inspect needs the whole file; use decrypt');
  },
  cesSigningKey: (t) => ({ kind: 'ces signing key', algorithm: SigningKey.fromArmored(t).algorithm }),
  cesVerifyKey: (t) => {
    const vk = VerifyKey.fromArmored(t);
    return { kind: 'ces verify key', algorithm: vk.algorithm, bytes: vk.toBytes().length };
  },
};

/** The `{ typ, v: 1, data }` JSON forms of CP-ABE objects and proofs. */
const JSON_FORMS: Readonly<Record<string, (text: string) => Info>> = {
  'bpds-cpabe-public-key': (t) => ({ json: true, ...cpabe(PublicKey.fromJSON(t).toBytes()) }),
  'bpds-cpabe-ciphertext': (t) => ({ json: true, ...cpabe(Ciphertext.fromJSON(t).toBytes()) }),
  'bpds-ces-verify-key': (t) => {
    const vk = VerifyKey.fromJSON(t);
    return { json: true, kind: 'ces verify key', algorithm: vk.algorithm, bytes: vk.toBytes().length };
  },
  'bpds-merkle-proof': (t) => {
    const p = MerkleProof.fromJSON(t);
    return { json: true, kind: 'merkle proof', index: p.index, size: p.size, path: p.path.length };
  },
};

function json(text: string): Info {
  const value = parseJsonStrict(text) as { typ?: unknown } | null;
  const typ = typeof value === 'object' && value !== null ? value.typ : undefined;
  const form = typeof typ === 'string' ? JSON_FORMS[typ] : undefined;
  if (form !== undefined) return form(text);
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
    const kind = armorKindOf(text);
    if (kind === undefined) {
      const label = /-----BEGIN ([^-\n]{0,64})-----/.exec(text)?.[1] ?? '';
      throw new InvalidEncodingError(`unknown armor label ${JSON.stringify(label)}`);
    }
    return { armored: true, ...ARMORED[kind](text) };
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
