/**
 * Every public decoder of bpds, with how its inputs are mutated and the oracle that
 * judges an accepted input. Enumerated from the public exports of src/{ces,chain,
 * cpabe,index-record,policy,protocol}/index.ts: each `fromBytes`, `fromJSON`,
 * `fromArmored`, `fromRaw`, `parse*` and `MemoryLedger.fromJsonLines`.
 *
 * The oracle of every input: the decoder returns a result or throws a `BpdsError`;
 * an accepted result re-encodes canonically (see each `check`); and it is never a
 * false accept: a changed encoding must not decrypt or verify to anything but the
 * original content. Oracles throw {@link FalseAccept} (or any non-`BpdsError`) to fail.
 */
import {
  type SignatureAlgorithm as CesAlg,
  extract,
  type JsonValue,
  Presentation,
  RuleSet,
  SignedRecord,
  SigningKey,
  VerifyKey,
  verify,
} from '../../src/ces/index.js';
import { MemoryLedger, parseTransaction, serializeTransaction } from '../../src/chain/index.js';
import { checkTransaction } from '../../src/chain/transaction.js';
import { verifyTransaction } from '../../src/chain/verify.js';
import { Ciphertext, canDecrypt, decrypt, MasterKey, PublicKey, SecretKey } from '../../src/cpabe/index.js';
import { ARMOR_LABEL, armor } from '../../src/cpabe/internal/format.js';
import { BpdsError } from '../../src/errors.js';
import {
  getPublicKey,
  MerkleProof,
  parseRecord,
  serializeRecord,
  verifyMerkleProof,
  verifyRecord,
} from '../../src/index-record/index.js';
import { fromBase64url, toBase64url } from '../../src/internal/bytes.js';
import { formatPolicy, parsePolicy, policyDigest } from '../../src/policy/index.js';
import { parseBlobLocator } from '../../src/protocol/index.js';
import { type Corpus, unb64 } from './corpus.js';
import { mutateBytes, mutateJson, mutatePolicy, mutateText } from './mutate.js';
import type { Rng } from './rng.js';

/** An accepted input that decrypts or verifies to content other than the original. */
export class FalseAccept extends Error {
  override name = 'FalseAccept';
}

/** What an oracle concluded about an accepted input. */
export type Verdict =
  /** Re-encodes to one of the corpus encodings (the unmutated value). */
  | 'original'
  /** A different, well-formed value; the crypto check (decrypt/verify) rejected it or does not apply. */
  | 'other'
  /** A different encoding that decrypts/verifies to exactly the original content. */
  | 'equivalent';

export type Input = Uint8Array | string | { alg: CesAlg; bytes: Uint8Array };

export interface Decoder {
  /** `module.function` as a user calls it, e.g. `cpabe.Ciphertext.fromBytes`. */
  readonly name: string;
  /** One line: what an accepted result guarantees. */
  readonly guarantee: string;
  /** The valid encodings mutations start from. */
  readonly seeds: readonly Input[];
  /** A mutated input (1–4 stacked mutations of a seed). */
  mutate(rng: Rng, seed: Input): Input;
  /** The decoder under test. */
  decode(input: Input): unknown;
  /** Judge an accepted result; throw FalseAccept (or anything) to fail. */
  check(result: unknown, input: Input): Verdict | Promise<Verdict>;
}

const eqBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

function fail(message: string): never {
  throw new FalseAccept(message);
}

/** Byte seeds mutate as bytes, splicing with the other seeds of the same decoder. */
function byteMutator(seeds: readonly Uint8Array[]) {
  return (rng: Rng, seed: Input): Input => mutateBytes(rng, seed as Uint8Array, seeds);
}

/** Text seeds: character mutations, JSON-aware ones when `json`, splices with the other seeds. */
function textMutator(seeds: readonly string[], json: boolean) {
  return (rng: Rng, seed: Input): Input => {
    let s = seed as string;
    for (let k = rng.small(3); k > 0; k--) {
      s = json && rng.chance(0.6) ? mutateJson(rng, s, rng.pick(seeds)) : mutateText(rng, s, seeds);
    }
    return s;
  };
}

/** Armored text: mutate the inner bytes and re-armor, or mutate the text itself. */
function armorMutator(label: string, seeds: readonly string[]) {
  return (rng: Rng, seed: Input): Input => {
    const s = seed as string;
    if (rng.chance(0.5)) {
      const body = s.split('\n').slice(1, -2).join('');
      const bytes = new Uint8Array(Buffer.from(body, 'base64'));
      const others = seeds.map((o) => new Uint8Array(Buffer.from(o.split('\n').slice(1, -2).join(''), 'base64')));
      return armor(rng.chance(0.95) ? label : rng.pick(Object.values(ARMOR_LABEL)), mutateBytes(rng, bytes, others));
    }
    return mutateText(rng, s, seeds);
  };
}

/** `{typ, v, data}` JSON: mutate the inner bytes, the JSON structure or the text. */
function wireJsonMutator(seeds: readonly string[]) {
  const json = textMutator(seeds, true);
  return (rng: Rng, seed: Input): Input => {
    const s = seed as string;
    if (rng.chance(0.5)) {
      const o = JSON.parse(s) as { typ: string; v: number; data: string };
      const others = seeds.map((x) => fromBase64url((JSON.parse(x) as { data: string }).data));
      return JSON.stringify({ ...o, data: toBase64url(mutateBytes(rng, fromBase64url(o.data), others)) });
    }
    return json(rng, seed);
  };
}

/** The decoder table, bound to one corpus. */
export function decoders(corpus: Corpus): Decoder[] {
  const out: Decoder[] = [];

  // ------------------------------------------------------------ cpabe
  const cp = corpus.cpabe.map((c) => ({
    scheme: c.scheme,
    pk: unb64(c.publicKey),
    mk: unb64(c.masterKey),
    keys: c.keys.map((k) => SecretKey.fromBytes(unb64(k.bytes))),
    cts: c.ciphertexts.map((x) => ({ ...x, bytes: unb64(x.bytes), plaintext: unb64(x.plaintext) })),
    kems: c.encapsulations.map((x) => ({ ...x, bytes: unb64(x.bytes) })),
  }));
  const bySchemeName = (s: string) => cp.find((c) => c.scheme === s) as (typeof cp)[number];
  const allCt = cp.flatMap((c) => [...c.cts.map((x) => x.bytes), ...c.kems.map((x) => x.bytes)]);
  const isSeed = (list: readonly Uint8Array[], b: Uint8Array) => list.some((s) => eqBytes(s, b));

  /** Decrypt a changed hybrid ciphertext with a key of its policy: only an original plaintext may come out. */
  const checkCiphertext = async (ct: Ciphertext): Promise<Verdict> => {
    const bytes = ct.toBytes();
    if (isSeed(allCt, bytes)) return 'original';
    if (ct.kind === 'kem') return 'other'; // the raw CPA KEM has no integrity by design
    const c = bySchemeName(ct.scheme);
    const key = c.keys.find((k) => canDecrypt(k, ct));
    if (key === undefined) return 'other';
    let pt: Uint8Array;
    try {
      pt = await decrypt(key, bytes);
    } catch (e) {
      if (e instanceof BpdsError) return 'other';
      throw e;
    }
    if (!c.cts.some((x) => eqBytes(x.plaintext, pt))) fail(`a changed ciphertext decrypted to ${b64(pt)}`);
    return 'equivalent';
  };
  const ctSeeds = cp.flatMap((c) => [...c.cts.map((x) => x.bytes), ...c.kems.map((x) => x.bytes)]);
  out.push({
    name: 'cpabe.Ciphertext.fromBytes',
    guarantee: 'result re-encodes to the input bytes; a changed hybrid ciphertext never decrypts to other plaintext',
    seeds: ctSeeds,
    mutate: byteMutator(ctSeeds),
    decode: (i) => Ciphertext.fromBytes(i as Uint8Array),
    check: (r, i) => {
      const ct = r as Ciphertext;
      if (!eqBytes(ct.toBytes(), i as Uint8Array)) fail('does not re-encode to its input');
      return checkCiphertext(ct);
    },
  });
  const ctArmored = corpus.cpabe.flatMap((c) => [...c.ciphertexts, ...c.encapsulations].map((x) => x.armored));
  out.push({
    name: 'cpabe.Ciphertext.fromArmored',
    guarantee: 'strict base64 body of a canonical ciphertext; same decrypt oracle as fromBytes',
    seeds: ctArmored,
    mutate: armorMutator(ARMOR_LABEL.ciphertext, ctArmored),
    decode: (i) => Ciphertext.fromArmored(i as string),
    check: (r) => {
      const ct = r as Ciphertext;
      if (!eqBytes(Ciphertext.fromArmored(ct.toArmored()).toBytes(), ct.toBytes())) fail('armor does not round-trip');
      return checkCiphertext(ct);
    },
  });

  const skSeeds = cp.flatMap((c) => c.keys.map((k) => k.toBytes()));
  /** A changed secret key may fail to decrypt, never decrypt to other plaintext. */
  const checkSecretKey = async (k: SecretKey): Promise<Verdict> => {
    if (isSeed(skSeeds, k.toBytes())) return 'original';
    const c = bySchemeName(k.scheme);
    for (const x of c.cts) {
      const ct = Ciphertext.fromBytes(x.bytes);
      if (!canDecrypt(k, ct)) continue;
      let pt: Uint8Array;
      try {
        pt = await decrypt(k, x.bytes);
      } catch (e) {
        if (e instanceof BpdsError) return 'other';
        throw e;
      }
      if (!eqBytes(pt, x.plaintext)) fail(`a changed secret key decrypted ${x.policy} to ${b64(pt)}`);
      return 'equivalent';
    }
    return 'other';
  };
  out.push({
    name: 'cpabe.SecretKey.fromBytes',
    guarantee:
      'result re-encodes to the input bytes; a changed key decrypts the corpus ciphertexts correctly or not at all',
    seeds: skSeeds,
    mutate: byteMutator(skSeeds),
    decode: (i) => SecretKey.fromBytes(i as Uint8Array),
    check: (r, i) => {
      if (!eqBytes((r as SecretKey).toBytes(), i as Uint8Array)) fail('does not re-encode to its input');
      return checkSecretKey(r as SecretKey);
    },
  });
  const skArmored = corpus.cpabe.flatMap((c) => c.keys.map((k) => k.armored));
  out.push({
    name: 'cpabe.SecretKey.fromArmored',
    guarantee: 'strict base64 body of a canonical key; same decrypt oracle as fromBytes',
    seeds: skArmored,
    mutate: armorMutator(ARMOR_LABEL.secretKey, skArmored),
    decode: (i) => SecretKey.fromArmored(i as string),
    check: (r) => checkSecretKey(r as SecretKey),
  });

  const pkSeeds = cp.map((c) => c.pk);
  const mkSeeds = cp.map((c) => c.mk);
  const keyCheck =
    <T extends { toBytes(): Uint8Array }>(seeds: readonly Uint8Array[]) =>
    (r: unknown, i: Input): Verdict => {
      const b = (r as T).toBytes();
      if (i instanceof Uint8Array && !eqBytes(b, i)) fail('does not re-encode to its input');
      return isSeed(seeds, b) ? 'original' : 'other';
    };
  out.push({
    name: 'cpabe.PublicKey.fromBytes',
    guarantee: 'result re-encodes to the input bytes (one key, one encoding); every point validated',
    seeds: pkSeeds,
    mutate: byteMutator(pkSeeds),
    decode: (i) => PublicKey.fromBytes(i as Uint8Array),
    check: keyCheck(pkSeeds),
  });
  const pkArmored = corpus.cpabe.map((c) => c.publicArmored);
  out.push({
    name: 'cpabe.PublicKey.fromArmored',
    guarantee: 'strict base64 body of a canonical public key',
    seeds: pkArmored,
    mutate: armorMutator(ARMOR_LABEL.publicKey, pkArmored),
    decode: (i) => PublicKey.fromArmored(i as string),
    check: keyCheck(pkSeeds),
  });
  out.push({
    name: 'cpabe.MasterKey.fromBytes',
    guarantee: 'result re-encodes to the input bytes; its embedded public key decodes too',
    seeds: mkSeeds,
    mutate: byteMutator(mkSeeds),
    decode: (i) => MasterKey.fromBytes(i as Uint8Array),
    check: keyCheck(mkSeeds),
  });
  const mkArmored = corpus.cpabe.map((c) => c.masterArmored);
  out.push({
    name: 'cpabe.MasterKey.fromArmored',
    guarantee: 'strict base64 body of a canonical master key',
    seeds: mkArmored,
    mutate: armorMutator(ARMOR_LABEL.masterKey, mkArmored),
    decode: (i) => MasterKey.fromArmored(i as string),
    check: keyCheck(mkSeeds),
  });

  // ------------------------------------------------------------ ces
  const signers = corpus.ces.signers.map((s) => ({
    algorithm: s.algorithm as CesAlg,
    signing: unb64(s.signing),
    verify: VerifyKey.fromBytes(unb64(s.verify)),
    verifyBytes: unb64(s.verify),
    rawSecret: unb64(s.rawSecret),
    rawPublic: unb64(s.rawPublic),
  }));
  const cases = corpus.ces.cases.map((c) => ({
    ...c,
    signedBytes: unb64(c.signed),
    presentationBytes: unb64(c.presentation),
    holderKey: c.holder ? SigningKey.fromBytes(unb64(c.holder.key)) : undefined,
  }));
  const holder = cases.find((c) => c.holder)?.holder;
  const verifyOpts = (p: Presentation) =>
    p.holderBound && holder ? { audience: holder.audience, nonce: holder.nonce } : {};

  /** A changed presentation that verifies under a corpus signer must disclose exactly what one of its presentations did. */
  const checkPresentation = (p: Presentation, seedBytes: Uint8Array): Verdict => {
    const original = cases.some((c) => eqBytes(c.presentationBytes, seedBytes));
    let verdict: Verdict = original ? 'original' : 'other';
    signers.forEach((s, si) => {
      const r = verify(s.verify, p, verifyOpts(p));
      if (!r.valid) return;
      const shown = JSON.stringify(r.disclosed ?? null);
      const ok = cases.some((c) => c.signer === si && c.disclosed === shown && c.scheme === r.scheme);
      if (!ok) fail(`a changed presentation verifies under signer ${si} disclosing ${shown.slice(0, 200)}`);
      if (!original) verdict = 'equivalent';
    });
    return verdict;
  };
  const presSeeds = cases.map((c) => c.presentationBytes);
  out.push({
    name: 'ces.Presentation.fromBytes',
    guarantee:
      'result re-encodes to the input bytes; verifies under a signer only with exactly the signed disclosed content',
    seeds: presSeeds,
    mutate: byteMutator(presSeeds),
    decode: (i) => Presentation.fromBytes(i as Uint8Array),
    check: (r, i) => {
      const b = (r as Presentation).toBytes();
      if (!eqBytes(b, i as Uint8Array)) fail('does not re-encode to its input');
      return checkPresentation(r as Presentation, b);
    },
  });
  const presJson = cases.map((c) => c.presentationJson);
  out.push({
    name: 'ces.Presentation.fromJSON',
    guarantee: 'strict JSON {typ, v, data}; same oracle as fromBytes on the data',
    seeds: presJson,
    mutate: wireJsonMutator(presJson),
    decode: (i) => Presentation.fromJSON(i as string),
    check: (r) => checkPresentation(r as Presentation, (r as Presentation).toBytes()),
  });

  /** A changed signed record: extraction then verification yields the original disclosure or fails. */
  const checkSigned = (s: SignedRecord): Verdict => {
    const bytes = s.toBytes();
    if (cases.some((c) => eqBytes(c.signedBytes, bytes))) return 'original';
    let verdict: Verdict = 'other';
    for (const c of cases) {
      let p: Presentation;
      try {
        p = extract(
          s,
          c.record as JsonValue,
          c.selection,
          c.holderKey && c.holder
            ? { holder: { key: c.holderKey, audience: c.holder.audience, nonce: c.holder.nonce, time: c.holder.time } }
            : {},
        );
      } catch (e) {
        if (e instanceof BpdsError) continue;
        throw e;
      }
      const signer = signers[c.signer] as (typeof signers)[number];
      const r = verify(signer.verify, p, verifyOpts(p));
      if (!r.valid) continue;
      if (JSON.stringify(r.disclosed ?? null) !== c.disclosed)
        fail('a changed signed record yields a presentation with other content');
      verdict = 'equivalent';
    }
    return verdict;
  };
  const signedSeeds = cases.map((c) => c.signedBytes);
  out.push({
    name: 'ces.SignedRecord.fromBytes',
    guarantee:
      'result re-encodes to the input bytes; presentations extracted from a changed record never verify with other content',
    seeds: signedSeeds,
    mutate: byteMutator(signedSeeds),
    decode: (i) => SignedRecord.fromBytes(i as Uint8Array),
    check: (r, i) => {
      if (!eqBytes((r as SignedRecord).toBytes(), i as Uint8Array)) fail('does not re-encode to its input');
      return checkSigned(r as SignedRecord);
    },
  });
  const signedJson = cases.map((c) => c.signedJson);
  out.push({
    name: 'ces.SignedRecord.fromJSON',
    guarantee: 'strict JSON {typ, v, data}; same oracle as fromBytes on the data',
    seeds: signedJson,
    mutate: wireJsonMutator(signedJson),
    decode: (i) => SignedRecord.fromJSON(i as string),
    check: (r) => checkSigned(r as SignedRecord),
  });

  const rulesSeeds = corpus.ces.rules.map(unb64);
  out.push({
    name: 'ces.RuleSet.fromBytes',
    guarantee: 'result re-encodes to the input bytes (so its digest, which the signature covers, names one rule set)',
    seeds: rulesSeeds,
    mutate: byteMutator(rulesSeeds),
    decode: (i) => RuleSet.fromBytes(i as Uint8Array),
    check: (r, i) => {
      if (!eqBytes((r as RuleSet).toBytes(), i as Uint8Array)) fail('does not re-encode to its input');
      return isSeed(rulesSeeds, i as Uint8Array) ? 'original' : 'other';
    },
  });

  /** A changed signing key must not have a corpus signer's public key. */
  const checkSigning = (k: SigningKey): Verdict => {
    const b = k.toBytes();
    if (signers.some((s) => eqBytes(s.signing, b))) return 'original';
    const vk = k.verifyKey().toBytes();
    if (signers.some((s) => eqBytes(s.verifyBytes, vk))) fail('a changed signing key has a corpus public key');
    return 'other';
  };
  const signingSeeds = signers.map((s) => s.signing);
  out.push({
    name: 'ces.SigningKey.fromBytes',
    guarantee: 'result re-encodes to the input bytes; a changed secret never yields an existing public key',
    seeds: signingSeeds,
    mutate: byteMutator(signingSeeds),
    decode: (i) => SigningKey.fromBytes(i as Uint8Array),
    check: (r, i) => {
      if (!eqBytes((r as SigningKey).toBytes(), i as Uint8Array)) fail('does not re-encode to its input');
      return checkSigning(r as SigningKey);
    },
  });
  const rawSecretSeeds: Input[] = signers.map((s) => ({ alg: s.algorithm, bytes: s.rawSecret }));
  const rawMutator = (list: readonly Input[]) => (rng: Rng, seed: Input) => {
    const s = seed as { alg: CesAlg; bytes: Uint8Array };
    const others = list.map((x) => (x as { bytes: Uint8Array }).bytes);
    return { alg: rng.chance(0.9) ? s.alg : rng.pick(signers).algorithm, bytes: mutateBytes(rng, s.bytes, others) };
  };
  out.push({
    name: 'ces.SigningKey.fromRaw',
    guarantee: 'as SigningKey.fromBytes, for the raw 32-byte secret of each algorithm',
    seeds: rawSecretSeeds,
    mutate: rawMutator(rawSecretSeeds),
    decode: (i) => SigningKey.fromRaw((i as { alg: CesAlg }).alg, (i as { bytes: Uint8Array }).bytes),
    check: (r) => checkSigning(r as SigningKey),
  });

  /** A changed verify key must not verify any corpus presentation. */
  const checkVerify = (vk: VerifyKey): Verdict => {
    const b = vk.toBytes();
    if (signers.some((s) => eqBytes(s.verifyBytes, b))) return 'original';
    for (const c of cases) {
      const p = Presentation.fromBytes(c.presentationBytes);
      if (verify(vk, p, verifyOpts(p)).valid) fail('a corpus presentation verifies under a changed key');
    }
    return 'other';
  };
  const verifySeeds = signers.map((s) => s.verifyBytes);
  out.push({
    name: 'ces.VerifyKey.fromBytes',
    guarantee:
      'result re-encodes to the input bytes; point on the curve, in the subgroup, not small order; a changed key verifies nothing',
    seeds: verifySeeds,
    mutate: byteMutator(verifySeeds),
    decode: (i) => VerifyKey.fromBytes(i as Uint8Array),
    check: (r, i) => {
      if (!eqBytes((r as VerifyKey).toBytes(), i as Uint8Array)) fail('does not re-encode to its input');
      return checkVerify(r as VerifyKey);
    },
  });
  const rawPublicSeeds: Input[] = signers.map((s) => ({ alg: s.algorithm, bytes: s.rawPublic }));
  out.push({
    name: 'ces.VerifyKey.fromRaw',
    guarantee: 'as VerifyKey.fromBytes; ECDSA keys may come uncompressed (65 bytes) and are stored compressed',
    seeds: rawPublicSeeds,
    mutate: rawMutator(rawPublicSeeds),
    decode: (i) => VerifyKey.fromRaw((i as { alg: CesAlg }).alg, (i as { bytes: Uint8Array }).bytes),
    check: (r, i) => {
      const raw = (i as { bytes: Uint8Array }).bytes;
      if (raw.length !== 65 && !eqBytes((r as VerifyKey).toRaw(), raw)) fail('does not re-encode to its input');
      return checkVerify(r as VerifyKey);
    },
  });

  // ------------------------------------------------------------ index-record
  const hospitalPk = corpus.index.publicKey;
  const records = corpus.index.records;
  out.push({
    name: 'indexRecord.parseRecord',
    guarantee:
      'strict JSON (no duplicates, safe integers); a record that verifies under the hospital key serializes to an original record',
    seeds: records,
    mutate: textMutator(records, true),
    decode: (i) => parseRecord(i as string),
    check: (r, i) => {
      const rec = r as ReturnType<typeof parseRecord>;
      const text = serializeRecord(rec);
      if (records.includes(i as string)) return 'original';
      if (!verifyRecord(rec, hospitalPk)) return 'other';
      if (!records.includes(text)) fail('a changed record verifies under the hospital key with other content');
      return 'equivalent';
    },
  });
  const proofs = corpus.index.proofs.map((p) => ({
    root: unb64(p.root),
    size: p.size,
    leaf: unb64(p.leaf),
    bytes: unb64(p.bytes),
  }));
  const proofSeeds = proofs.map((p) => p.bytes);
  out.push({
    name: 'indexRecord.MerkleProof.fromBytes',
    guarantee:
      'result re-encodes to the input bytes; a changed proof never verifies a corpus leaf against the corpus root',
    seeds: proofSeeds,
    mutate: byteMutator(proofSeeds),
    decode: (i) => MerkleProof.fromBytes(i as Uint8Array),
    check: (r, i) => {
      const p = r as MerkleProof;
      if (!eqBytes(p.toBytes(), i as Uint8Array)) fail('does not re-encode to its input');
      if (isSeed(proofSeeds, p.toBytes())) return 'original';
      for (const s of proofs) {
        if (verifyMerkleProof(s.root, s.leaf, p, s.size))
          fail(`a changed proof (index ${p.index}, size ${p.size}) verifies`);
      }
      return 'other';
    },
  });
  const secretSeeds = [unb64(corpus.index.secretKey)];
  out.push({
    name: 'indexRecord.getPublicKey',
    guarantee:
      'any 32 bytes are an Ed25519 seed; other lengths are refused; a changed seed never gives the original key',
    seeds: secretSeeds,
    mutate: byteMutator(secretSeeds),
    decode: (i) => getPublicKey(i as Uint8Array),
    check: (r, i) => {
      if (eqBytes(i as Uint8Array, secretSeeds[0] as Uint8Array)) return 'original';
      if (eqBytes(r as Uint8Array, unb64(hospitalPk))) fail('a changed secret key gives the hospital public key');
      return 'other';
    },
  });

  // ------------------------------------------------------------ chain
  const txs = corpus.chain.transactions;
  const txSigners = new Set(corpus.chain.signers);
  out.push({
    name: 'chain.parseTransaction',
    guarantee:
      'strict JSON, every field validated; a transaction whose signature verifies under an original signer is an original transaction',
    seeds: txs,
    mutate: textMutator(txs, true),
    decode: (i) => parseTransaction(i as string),
    check: async (r, i) => {
      const t = r as ReturnType<typeof parseTransaction>;
      if (txs.includes(i as string)) return 'original';
      if (!txSigners.has(t.signer)) return 'other';
      const v = await verifyTransaction(checkTransaction(t));
      if (!v.tx) return 'other';
      if (!txs.includes(serializeTransaction(t)))
        fail('a changed transaction verifies under its signer with other content');
      return 'equivalent';
    },
  });
  const ledger = corpus.chain.ledger;
  const ledgerLines = ledger.split('\n').filter((l) => l.length > 0);
  out.push({
    name: 'chain.MemoryLedger.fromJsonLines',
    guarantee:
      'every signature and contract rule replayed; an accepted file is the original chain or a prefix of it (block-wise)',
    seeds: [ledger],
    mutate: (rng, seed) => {
      const s = seed as string;
      if (rng.chance(0.4)) {
        // Mutate one line JSON-aware, keep the others.
        const lines = s.split('\n');
        const at = rng.int(lines.length - 1);
        lines[at] = mutateJson(rng, lines[at] as string, rng.pick(ledgerLines));
        return lines.join('\n');
      }
      if (rng.chance(0.3)) {
        const lines = s.split('\n');
        const a = rng.int(lines.length);
        const b = rng.int(lines.length);
        const op = rng.int(3);
        if (op === 0) lines.splice(a, 1);
        else if (op === 1) lines.splice(a, 0, lines[b] as string);
        else [lines[a], lines[b]] = [lines[b] as string, lines[a] as string];
        return lines.join('\n');
      }
      return mutateText(rng, s, ledgerLines);
    },
    decode: (i) => MemoryLedger.fromJsonLines(i as string),
    check: (r) => {
      const lines = (r as MemoryLedger)
        .toJsonLines()
        .split('\n')
        .filter((l) => l.length > 0);
      if (lines.length > ledgerLines.length || lines.some((l, k) => l !== ledgerLines[k])) {
        fail('an accepted ledger file is not the original chain or a prefix of it');
      }
      return lines.length === ledgerLines.length ? 'original' : 'other';
    },
  });

  // ------------------------------------------------------------ policy, protocol
  const policies = corpus.policies;
  out.push({
    name: 'policy.parsePolicy',
    guarantee:
      'PolicySyntaxError with a column, or a policy whose formatPolicy text parses back to the same policy (same digest)',
    seeds: policies,
    mutate: (rng, seed) =>
      rng.chance(0.5)
        ? mutatePolicy(rng, seed as string, rng.pick(policies))
        : mutateText(rng, seed as string, policies),
    decode: (i) => parsePolicy(i as string),
    check: (r, i) => {
      const p = r as ReturnType<typeof parsePolicy>;
      const text = formatPolicy(p);
      const again = parsePolicy(text);
      if (formatPolicy(again) !== text || !eqBytes(policyDigest(again), policyDigest(p)))
        fail('formatPolicy does not round-trip');
      return policies.includes(i as string) ? 'original' : 'other';
    },
  });
  const locators = corpus.locators;
  out.push({
    name: 'protocol.parseBlobLocator',
    guarantee: 'exactly bpds-blob:sha256:<64 lower-case hex>; the digest re-encodes to the input text',
    seeds: locators,
    mutate: textMutator(locators, false),
    decode: (i) => parseBlobLocator(i as string),
    check: (r, i) => {
      if (`bpds-blob:sha256:${Buffer.from(r as Uint8Array).toString('hex')}` !== i)
        fail('does not re-encode to its input');
      return locators.includes(i as string) ? 'original' : 'other';
    },
  });
  // Cheap decoders first, CP-ABE (milliseconds of pairing-group work per input) last,
  // so a run cut short has complete figures for as many decoders as possible.
  const cost = (n: string) =>
    n.startsWith('cpabe.') ? (n.includes('Ciphertext') ? 3 : n.includes('SecretKey') ? 2 : 1) : 0;
  return out
    .map((d, i) => ({ d, i }))
    .sort((a, b) => cost(a.d.name) - cost(b.d.name) || a.i - b.i)
    .map((x) => x.d);
}
