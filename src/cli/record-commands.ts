/**
 * `bpds record verify` (a hospital's signature on a BPDS index record) and
 * `bpds ledger verify` (replay and re-derive a `MemoryLedger` JSON Lines export).
 */
import { MemoryLedger } from '../chain/memory-ledger.js';
import { LedgerError, VerificationError } from '../errors.js';
import { parseRecord, recordDigest, verifyRecord } from '../index-record/record.js';
import { toBase64url } from '../internal/bytes.js';
import type { CommandSpec } from './args.js';
import { need, str, UsageError } from './args.js';
import type { Command } from './command.js';
import { readInput, readText } from './io.js';

const recordVerifySpec: CommandSpec = {
  name: 'record verify',
  summary: "check a hospital's Ed25519 signature on an index record",
  usage: '--public KEY [--in RECORD.json]',
  flags: {
    public: {
      type: 'string',
      value: 'KEY',
      required: true,
      help: "the hospital's Ed25519 public key as base64url text (43 characters), or a file holding it",
    },
    in: { type: 'string', value: 'FILE', help: 'the index record (default -: standard input)' },
  },
  positional: { min: 0, max: 0 },
  details: 'Prints the record id and digest and exits 0, or exits 1 with ERR_VERIFICATION_FAILED.',
};

const ledgerVerifySpec: CommandSpec = {
  name: 'ledger verify',
  summary: 'replay a MemoryLedger JSON Lines export and re-derive every block',
  usage: 'FILE.jsonl [--expected-head HASH]',
  flags: {
    'expected-head': { type: 'string', value: 'HASH', help: 'the head block hash kept elsewhere (base64url)' },
  },
  positional: { min: 1, max: 1, name: 'FILE.jsonl' },
  details: 'Prints the height and head hash and exits 0, or exits 1 with the LedgerError code.',
};

const B64URL_KEY = /^[A-Za-z0-9_-]{43}$/;

/** The `--public` key: its base64url text, given literally or in a file (the one form of identity keys). */
async function publicKeyArg(arg: string, io: Parameters<typeof readInput>[1]): Promise<string> {
  if (B64URL_KEY.test(arg)) return arg;
  const text = new TextDecoder().decode(await readInput(arg, io)).trim();
  if (!B64URL_KEY.test(text)) {
    throw new UsageError(
      '--public: expected an Ed25519 public key as base64url text (43 characters), or a file holding it',
    );
  }
  return text;
}

export const recordCommands: readonly Command[] = [
  {
    spec: recordVerifySpec,
    async run(p, ctx) {
      const publicKey = await publicKeyArg(need(p, 'public'), ctx.io);
      const record = parseRecord(await readInput(str(p, 'in') ?? '-', ctx.io));
      if (!verifyRecord(record, publicKey)) throw new VerificationError('index record signature does not verify');
      await ctx.out.add('-', `ok ${record.recordId} digest ${toBase64url(recordDigest(record))}\n`);
    },
  },
  {
    spec: ledgerVerifySpec,
    async run(p, ctx) {
      const text = await readText(p.positional[0] as string, ctx.io);
      const expectedHead = str(p, 'expected-head');
      const ledger = await MemoryLedger.fromJsonLines(text, expectedHead === undefined ? {} : { expectedHead });
      const check = ledger.verifyChain();
      if (!check.ok) throw new LedgerError('TAMPERED_CHAIN', check.reason);
      await ctx.out.add('-', `ok height ${check.height} head ${ledger.head}\n`);
    },
  },
];
