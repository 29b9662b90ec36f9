/**
 * `bpds setup | keygen | encrypt | decrypt | can-decrypt`: CP-ABE from the command line,
 * in the manner of Bethencourt–Sahai–Waters' cpabe toolkit (`cpabe-setup`, `cpabe-keygen`,
 * `cpabe-enc`, `cpabe-dec`) and OpenABE's `oabe_setup`/`oabe_keygen`/`oabe_enc`/`oabe_dec`.
 * Keys are armored text files; ciphertexts are armored unless `--binary` is given; every
 * reader accepts both forms.
 */
import {
  Ciphertext,
  canDecrypt,
  decrypt,
  encrypt,
  keygen,
  MasterKey,
  PublicKey,
  SecretKey,
  setup,
} from '../cpabe/index.js';
import type { SchemeName } from '../cpabe/scheme.js';
import { InvalidEncodingError } from '../errors.js';
import type { CommandSpec } from './args.js';
import { need, str, UsageError } from './args.js';
import type { Command } from './command.js';
import { PROGRESS_BYTES, readInput, withProgress } from './io.js';

const SCHEMES: readonly SchemeName[] = ['fame', 'waters11', 'bsw07'];
const ARMOR = '-----BEGIN ';

/** True when `bytes` starts (after whitespace) with a PEM-style BEGIN line. */
export function isArmored(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return new TextDecoder().decode(bytes.subarray(i, i + ARMOR.length)) === ARMOR;
}

/** Armored text as a string; bytes that are not UTF-8 are an encoding error. */
export function text(b: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch (cause) {
    throw new InvalidEncodingError('armored text is not valid UTF-8', { cause });
  }
}

/** Decode a CP-ABE object of the expected class from armored text or bytes. */
function decodeAs<T>(bytes: Uint8Array, cls: { fromBytes(b: Uint8Array): T; fromArmored(t: string): T }): T {
  return isArmored(bytes) ? cls.fromArmored(text(bytes)) : cls.fromBytes(bytes);
}

/** Key attributes as the library takes them: `name=value` becomes `name = value`. */
export function keyAttribute(arg: string): string {
  const eq = arg.indexOf('=');
  if (eq < 0) return arg;
  if (arg.slice(eq).startsWith('==')) throw new UsageError(`attribute ${JSON.stringify(arg)}: use name=value`);
  return `${arg.slice(0, eq).trim()} = ${arg.slice(eq + 1).trim()}`;
}

const setupSpec: CommandSpec = {
  name: 'setup',
  summary: 'create a CP-ABE public key and master key',
  usage: '[--scheme fame|waters11|bsw07] --public PK --master MK',
  flags: {
    scheme: { type: 'string', value: 'NAME', help: 'fame (default), waters11 or bsw07' },
    public: { type: 'string', value: 'FILE', required: true, help: 'where to write the public key (armored)' },
    master: {
      type: 'string',
      value: 'FILE',
      required: true,
      help: 'where to write the master key (armored, mode 0600)',
    },
  },
  positional: { min: 0, max: 0 },
};

const keygenSpec: CommandSpec = {
  name: 'keygen',
  summary: 'issue a CP-ABE secret key for a list of attributes',
  usage: '--master MK --out SK ATTR...',
  flags: {
    master: { type: 'string', value: 'FILE', required: true, help: 'the master key' },
    out: { type: 'string', value: 'FILE', required: true, help: 'where to write the secret key (armored, mode 0600)' },
  },
  positional: { min: 1, max: 4096, name: 'ATTR' },
  details:
    'Attributes are written as in the policy language: plain names (cardiology, "role/doctor")\n' +
    'and numbers as name=value (level=3), which policies compare with <, <=, >, >=, =.',
};

const encryptSpec: CommandSpec = {
  name: 'encrypt',
  summary: 'encrypt a file under an access policy (CCA-secure hybrid encryption)',
  usage: '--public PK --policy TEXT [--in FILE] [--out FILE] [--binary]',
  flags: {
    public: { type: 'string', value: 'FILE', required: true, help: 'the public key' },
    policy: {
      type: 'string',
      value: 'TEXT',
      required: true,
      help: "access policy, e.g. 'cardiology and (doctor or nurse)'",
    },
    in: { type: 'string', value: 'FILE', help: 'plaintext (default -: standard input)' },
    out: { type: 'string', value: 'FILE', help: 'ciphertext (default -: standard output)' },
    binary: { type: 'boolean', help: 'write the raw binary ciphertext instead of armored text' },
  },
  positional: { min: 0, max: 0 },
};

const decryptSpec: CommandSpec = {
  name: 'decrypt',
  summary: 'decrypt a ciphertext with a secret key',
  usage: '--key SK [--in FILE] [--out FILE]',
  flags: {
    key: { type: 'string', value: 'FILE', required: true, help: 'the secret key' },
    in: { type: 'string', value: 'FILE', help: 'ciphertext, armored or binary (default -: standard input)' },
    out: { type: 'string', value: 'FILE', help: 'plaintext (default -: standard output)' },
  },
  positional: { min: 0, max: 0 },
  details:
    'Exit status 1 with ERR_POLICY_NOT_SATISFIED when the key does not satisfy the policy,\nERR_DECRYPTION for any other failure (tampering included). No output is written on failure.',
};

const canDecryptSpec: CommandSpec = {
  name: 'can-decrypt',
  summary: "tell whether a key's attributes satisfy a ciphertext's policy (no decryption)",
  usage: '--key SK --in FILE',
  flags: {
    key: { type: 'string', value: 'FILE', required: true, help: 'the secret key' },
    in: { type: 'string', value: 'FILE', required: true, help: 'ciphertext, armored or binary (- for standard input)' },
  },
  positional: { min: 0, max: 0 },
  details: 'Prints "yes" and exits 0, or prints "no" and exits 1.',
};

export const cpabeCommands: readonly Command[] = [
  {
    spec: setupSpec,
    async run(p, ctx) {
      const scheme = str(p, 'scheme') ?? 'fame';
      if (!SCHEMES.includes(scheme as SchemeName))
        throw new UsageError(`--scheme must be one of ${SCHEMES.join(', ')}`);
      await ctx.init();
      const { publicKey, masterKey } = setup({ scheme: scheme as SchemeName });
      await ctx.out.add(need(p, 'public'), publicKey.toArmored());
      await ctx.out.add(need(p, 'master'), masterKey.toArmored(), true);
    },
  },
  {
    spec: keygenSpec,
    async run(p, ctx) {
      const attributes = p.positional.map(keyAttribute);
      await ctx.init();
      const masterKey = decodeAs(await readInput(need(p, 'master'), ctx.io), MasterKey);
      const sk = await withProgress(ctx.io, attributes.length >= 64, `keygen for ${attributes.length} attributes`, () =>
        keygen(masterKey, attributes),
      );
      await ctx.out.add(need(p, 'out'), sk.toArmored(), true);
    },
  },
  {
    spec: encryptSpec,
    async run(p, ctx) {
      const policy = need(p, 'policy');
      await ctx.init();
      const publicKey = decodeAs(await readInput(need(p, 'public'), ctx.io), PublicKey);
      const plaintext = await readInput(str(p, 'in') ?? '-', ctx.io);
      const ct = await withProgress(ctx.io, plaintext.length >= PROGRESS_BYTES, 'encrypting', () =>
        encrypt(publicKey, policy, plaintext),
      );
      const binary = p.flags.binary === true;
      await ctx.out.add(str(p, 'out'), binary ? ct : Ciphertext.fromBytes(ct).toArmored());
    },
  },
  {
    spec: decryptSpec,
    async run(p, ctx) {
      await ctx.init();
      const sk = decodeAs(await readInput(need(p, 'key'), ctx.io), SecretKey);
      const input = await readInput(str(p, 'in') ?? '-', ctx.io);
      const ct = isArmored(input) ? Ciphertext.fromArmored(text(input)).toBytes() : input;
      const pt = await withProgress(ctx.io, ct.length >= PROGRESS_BYTES, 'decrypting', () => decrypt(sk, ct));
      await ctx.out.add(str(p, 'out'), pt);
    },
  },
  {
    spec: canDecryptSpec,
    async run(p, ctx) {
      await ctx.init();
      const sk = decodeAs(await readInput(need(p, 'key'), ctx.io), SecretKey);
      const ct = decodeAs(await readInput(need(p, 'in'), ctx.io), Ciphertext);
      const yes = canDecrypt(sk, ct);
      await ctx.out.add('-', yes ? 'yes\n' : 'no\n');
      return yes ? 0 : 1;
    },
  },
];
