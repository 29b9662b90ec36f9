/**
 * `bpds ces keygen | sign | extract | verify`: content extraction signatures (Steinfeld,
 * Bull, Zheng, ICISC 2001) on JSON/FHIR files. Signing keys and verify keys are armored
 * text; signed records and presentations are their JSON forms.
 */
import {
  type ExtractionRules,
  extract,
  Presentation,
  type SignatureAlgorithm,
  SignedRecord,
  SigningKey,
  sign,
  VerifyKey,
  verify,
} from '../ces/index.js';
import type { SchemeName } from '../ces/internal/header.js';
import type { JsonValue } from '../ces/types.js';
import { VerificationError } from '../errors.js';
import type { CommandSpec } from './args.js';
import { list, need, str, UsageError } from './args.js';
import type { Command } from './command.js';
import { readJson, readText } from './io.js';

const ALGORITHMS: readonly SignatureAlgorithm[] = ['ed25519', 'p256', 'secp256k1', 'bls-bn254'];
const SCHEMES: readonly SchemeName[] = ['commit-vector', 'hash-tree', 'aggregate'];

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

const keygenSpec: CommandSpec = {
  name: 'ces keygen',
  summary: 'create a signing key for content extraction signatures',
  usage: '[--alg ed25519|p256|secp256k1|bls-bn254] --out SK [--public VK]',
  flags: {
    alg: {
      type: 'string',
      value: 'ALG',
      help: 'ed25519 (default), p256, secp256k1, or bls-bn254 for the aggregate scheme',
    },
    out: { type: 'string', value: 'FILE', required: true, help: 'where to write the signing key (armored, mode 0600)' },
    public: { type: 'string', value: 'FILE', help: 'where to write the verify key (default: standard output)' },
  },
  positional: { min: 0, max: 0 },
};

const signSpec: CommandSpec = {
  name: 'ces sign',
  summary: 'sign a JSON/FHIR record with extraction rules',
  usage: '--key SK [--in RECORD.json] [--rules RULES.json] [--scheme NAME] [--holder VK] [--out SIGNED.json]',
  flags: {
    key: { type: 'string', value: 'FILE', required: true, help: 'the signing key' },
    in: { type: 'string', value: 'FILE', help: 'the record (default -: standard input)' },
    rules: {
      type: 'string',
      value: 'FILE',
      help: 'extraction rules as JSON: {"mandatory": [...], "never": [...], ...}',
    },
    scheme: { type: 'string', value: 'NAME', help: 'commit-vector (default), hash-tree or aggregate' },
    holder: { type: 'string', value: 'FILE', help: 'verify key of the holder who must sign each presentation' },
    out: { type: 'string', value: 'FILE', help: 'the signed record (default -: standard output)' },
  },
  positional: { min: 0, max: 0 },
};

const extractSpec: CommandSpec = {
  name: 'ces extract',
  summary: 'disclose chosen fields of a signed record',
  usage: '--signed SIGNED.json [--in RECORD.json] --select POINTER... [--out PRESENTATION.json]',
  flags: {
    signed: { type: 'string', value: 'FILE', required: true, help: 'the signed record from `bpds ces sign`' },
    in: { type: 'string', value: 'FILE', help: 'the original record (default -: standard input)' },
    select: { type: 'list', value: 'POINTER', required: true, help: 'JSON Pointer of a field to disclose, e.g. /code' },
    holder: {
      type: 'string',
      value: 'FILE',
      help: "the holder's signing key, when the record was signed with --holder",
    },
    audience: { type: 'string', value: 'TEXT', help: 'the verifier the holder binding is for (with --holder)' },
    nonce: { type: 'string', value: 'TEXT', help: "the verifier's nonce (with --holder)" },
    out: { type: 'string', value: 'FILE', help: 'the presentation (default -: standard output)' },
  },
  positional: { min: 0, max: 0 },
  details:
    'The selection must include every field the rules make mandatory; a selection the rules\n' +
    'forbid is refused (exit 1, ERR_EXTRACTION_NOT_ALLOWED) and nothing is written.',
};

const verifySpec: CommandSpec = {
  name: 'ces verify',
  summary: "verify a presentation against the signer's verify key and print what it discloses",
  usage: '--public VK [--in PRESENTATION.json] [--rules RULES.json] [--audience A --nonce N] [--out FILE]',
  flags: {
    public: { type: 'string', value: 'FILE', required: true, help: "the signer's verify key" },
    in: { type: 'string', value: 'FILE', help: 'the presentation (default -: standard input)' },
    rules: { type: 'string', value: 'FILE', help: 'require exactly these extraction rules' },
    audience: { type: 'string', value: 'TEXT', help: 'expected audience of a holder binding' },
    nonce: { type: 'string', value: 'TEXT', help: 'expected nonce of a holder binding' },
    out: { type: 'string', value: 'FILE', help: 'the disclosed JSON (default -: standard output)' },
  },
  positional: { min: 0, max: 0 },
  details: 'Exit status 1 with ERR_VERIFICATION_FAILED and the reason when the presentation is rejected.',
};

async function signingKey(path: string, io: Parameters<typeof readText>[1]): Promise<SigningKey> {
  return SigningKey.fromArmored(await readText(path, io));
}

async function verifyKey(path: string, io: Parameters<typeof readText>[1]): Promise<VerifyKey> {
  return VerifyKey.fromArmored(await readText(path, io));
}

export const cesCommands: readonly Command[] = [
  {
    spec: keygenSpec,
    async run(p, ctx) {
      const alg = str(p, 'alg') ?? 'ed25519';
      if (!ALGORITHMS.includes(alg as SignatureAlgorithm))
        throw new UsageError(`--alg must be one of ${ALGORITHMS.join(', ')}`);
      if (alg === 'bls-bn254') await ctx.init();
      const key = SigningKey.generate(alg as SignatureAlgorithm);
      await ctx.out.add(need(p, 'out'), key.toArmored(), true);
      await ctx.out.add(str(p, 'public'), key.verifyKey().toArmored());
    },
  },
  {
    spec: signSpec,
    async run(p, ctx) {
      const scheme = str(p, 'scheme') ?? 'commit-vector';
      if (!SCHEMES.includes(scheme as SchemeName))
        throw new UsageError(`--scheme must be one of ${SCHEMES.join(', ')}`);
      await ctx.init();
      const key = await signingKey(need(p, 'key'), ctx.io);
      const rulesPath = str(p, 'rules');
      const rules = rulesPath === undefined ? undefined : ((await readJson(rulesPath, ctx.io)) as ExtractionRules);
      const holderPath = str(p, 'holder');
      const holderPublicKey = holderPath === undefined ? undefined : await verifyKey(holderPath, ctx.io);
      const record = (await readJson(str(p, 'in') ?? '-', ctx.io)) as JsonValue;
      const signed = sign(key, record, {
        scheme: scheme as SchemeName,
        ...(rules === undefined ? {} : { rules }),
        ...(holderPublicKey === undefined ? {} : { holderPublicKey }),
      });
      await ctx.out.add(str(p, 'out'), json(signed.toJSON()));
    },
  },
  {
    spec: extractSpec,
    async run(p, ctx) {
      await ctx.init();
      const signed = SignedRecord.fromJSON(await readText(need(p, 'signed'), ctx.io));
      const record = (await readJson(str(p, 'in') ?? '-', ctx.io)) as JsonValue;
      const holderPath = str(p, 'holder');
      let options = {};
      if (holderPath !== undefined) {
        const audience = str(p, 'audience');
        const nonce = str(p, 'nonce');
        if (audience === undefined || nonce === undefined)
          throw new UsageError('--holder needs --audience and --nonce');
        options = { holder: { key: await signingKey(holderPath, ctx.io), audience, nonce } };
      }
      const shown = extract(signed, record, list(p, 'select'), options);
      await ctx.out.add(str(p, 'out'), json(shown.toJSON()));
    },
  },
  {
    spec: verifySpec,
    async run(p, ctx) {
      await ctx.init();
      const key = await verifyKey(need(p, 'public'), ctx.io);
      const presentation = Presentation.fromJSON(await readText(str(p, 'in') ?? '-', ctx.io));
      const rulesPath = str(p, 'rules');
      const audience = str(p, 'audience');
      const nonce = str(p, 'nonce');
      const result = verify(key, presentation, {
        ...(rulesPath === undefined ? {} : { rules: (await readJson(rulesPath, ctx.io)) as ExtractionRules }),
        ...(audience === undefined ? {} : { audience }),
        ...(nonce === undefined ? {} : { nonce }),
      });
      if (!result.valid) throw new VerificationError(`presentation rejected (${result.reason})`);
      await ctx.out.add(str(p, 'out'), json(result.disclosed ?? null));
    },
  },
];
