import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidEncodingError } from '../src/errors.js';
import { armorText, dearmorText } from '../src/internal/armor.js';
import { runs } from './helpers.js';

/** The reference: Node's base64, wrapped at 64 characters (RFC 7468 layout). */
function reference(label: string, b: Uint8Array): string {
  const b64 = Buffer.from(b).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.map((l) => `${l}\n`).join('')}-----END ${label}-----\n`;
}

const L = 'BPDS CPABE CIPHERTEXT';

describe('armor', () => {
  it('matches the reference encoding and round-trips (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
        const text = armorText(L, b);
        expect(text).toBe(reference(L, b));
        expect(dearmorText(L, text)).toEqual(b);
        expect(dearmorText(L, `  \r\n${text.replaceAll('\n', '\r\n')}\n\n`)).toEqual(b);
      }),
      { numRuns: runs(300) },
    );
  });

  it('accepts any line length, like the previous decoder', () => {
    const b = Uint8Array.from({ length: 100 }, (_, i) => i);
    const one = Buffer.from(b).toString('base64');
    expect(dearmorText(L, `-----BEGIN ${L}-----\n${one}\n-----END ${L}-----`)).toEqual(b);
    expect(dearmorText(L, `-----BEGIN ${L}-----\n${one.slice(0, 10)}\n\n${one.slice(10)}\n-----END ${L}-----`)).toEqual(
      b,
    );
  });

  it('round-trips 24 MiB and the output length is exact', () => {
    const b = new Uint8Array(24 << 20);
    for (let i = 0; i < b.length; i += 65536) crypto.getRandomValues(b.subarray(i, i + 65536));
    const text = armorText(L, b);
    const lines = Math.ceil(b.length / 48);
    expect(text.length).toBe(`-----BEGIN ${L}-----\n`.length * 2 - 2 + Math.ceil(b.length / 3) * 4 + lines);
    const back = dearmorText(L, text);
    expect(back.length).toBe(b.length);
    expect(Buffer.compare(back, b)).toBe(0);
  });

  it('refuses anything else with InvalidEncodingError', () => {
    const good = armorText(L, Uint8Array.of(1, 2, 3, 4));
    const bad = [
      good.replace('CIPHERTEXT', 'PUBLIC KEY'),
      good.replace('AQIDBA==', 'AQIDBA='),
      good.replace('AQIDBA==', 'AQIDBA'),
      good.replace('AQIDBA==', 'AQIDBB=='),
      good.replace('AQIDBA==', 'AQ=DBA=='),
      good.replace('AQIDBA==', 'AQID BA=='),
      good.replace('AQIDBA==', 'AQIDBA==\rx'),
      good.replace('AQIDBA==', 'AQIDBA==AA'),
      good.replace('AQIDBA==', 'AQIDB'),
      good.replace('AQIDBA==', 'AQIDBA\u00e9='),
      good.replace('-----\n', '-----x\n'),
      good.replace('\n-----END', '-----END'),
      `-----BEGIN ${L}----------END ${L}-----`,
      `-----BEGIN ${L}-----`,
      '',
      'garbage',
    ];
    for (const t of bad) expect(() => dearmorText(L, t), JSON.stringify(t)).toThrow(InvalidEncodingError);
  });

  it('random text never throws anything but InvalidEncodingError (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.nat(), (junk, at) => {
        const good = armorText(L, Uint8Array.of(9, 8, 7, 6, 5));
        const i = at % good.length;
        const text = good.slice(0, i) + junk + good.slice(i);
        try {
          dearmorText(L, text);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidEncodingError);
        }
      }),
      { numRuns: runs(300) },
    );
  });
});

describe('armor label registry (internal/armor.ts)', () => {
  it('every armored kind has one distinct label, and the key classes write and read only their own', async () => {
    const { ARMOR_LABELS, armorKindOf } = await import('../src/internal/armor.js');
    const { init } = await import('../src/index.js');
    const cpabe = await import('../src/cpabe/index.js');
    const ces = await import('../src/ces/index.js');
    await init();
    const labels = Object.values(ARMOR_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
    const { publicKey, masterKey } = cpabe.setup();
    const sk = ces.SigningKey.generate();
    const ct = cpabe.Ciphertext.fromBytes(await cpabe.encrypt(publicKey, 'a', Uint8Array.of(1)));
    const kem = cpabe.Ciphertext.fromBytes(cpabe.encapsulate(publicKey, 'a').encapsulation);
    const texts = {
      cpabePublicKey: publicKey.toArmored(),
      cpabeMasterKey: masterKey.toArmored(),
      cpabeSecretKey: cpabe.keygen(masterKey, ['a']).toArmored(),
      cpabeCiphertext: ct.toArmored(),
      cpabeEncapsulation: kem.toArmored(),
      cesSigningKey: sk.toArmored(),
      cesVerifyKey: sk.verifyKey().toArmored(),
    } as const;
    for (const [kind, text] of Object.entries(texts)) expect(armorKindOf(`\n ${text}`)).toBe(kind);
    expect(ces.SigningKey.fromArmored(texts.cesSigningKey).toBytes()).toEqual(sk.toBytes());
    expect(ces.VerifyKey.fromArmored(texts.cesVerifyKey).equals(sk.verifyKey())).toBe(true);
    expect(() => ces.VerifyKey.fromArmored(texts.cesSigningKey)).toThrow(InvalidEncodingError);
    expect(() => ces.SigningKey.fromArmored(texts.cpabeSecretKey)).toThrow(InvalidEncodingError);
    expect(() => cpabe.PublicKey.fromArmored(texts.cesVerifyKey)).toThrow(InvalidEncodingError);
    expect(armorKindOf('-----BEGIN SOMETHING ELSE-----\n')).toBeUndefined();
  });
});
