/**
 * Master keys decode only with the public key they generated (issue 12, finding 4): a
 * master key whose embedded public key comes from another setup would issue secret keys
 * that never decrypt anything encrypted under the public key it carries. Every scheme
 * recomputes its public key's parts from the master secrets on decode.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decrypt, encrypt, keygen, MasterKey, type SchemeName, setup } from '../src/cpabe/index.js';
import { InvalidEncodingError } from '../src/errors.js';
import { init } from '../src/pairing/index.js';

beforeAll(() => init());

const SCHEMES: readonly SchemeName[] = ['fame', 'waters11', 'bsw07'];
/** Master key bytes: 8-byte header, then the embedded public key as u32 length + bytes. */
const PK_AT = 8 + 4;

describe.each(SCHEMES)('master key / public key binding (%s)', (scheme) => {
  it('refuses a master key whose embedded public key comes from another setup', () => {
    const mine = setup({ scheme });
    const other = setup({ scheme });
    const mk = mine.masterKey.toBytes();
    const otherPk = other.publicKey.toBytes();
    expect(otherPk.length).toBe(mine.publicKey.toBytes().length);
    const mixed = mk.slice();
    mixed.set(otherPk, PK_AT);
    let error: unknown;
    try {
      MasterKey.fromBytes(mixed);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEncodingError);
    expect((error as InvalidEncodingError).code).toBe('ERR_INVALID_ENCODING');
    expect((error as Error).message).toMatch(/does not match its public key/);
  });

  it('accepts its own master key, which then issues keys that decrypt', async () => {
    const { publicKey, masterKey } = setup({ scheme });
    const back = MasterKey.fromBytes(masterKey.toBytes());
    expect(back.toBytes()).toEqual(masterKey.toBytes());
    const ct = await encrypt(publicKey, 'a and b', Uint8Array.of(7));
    expect(await decrypt(keygen(back, ['a', 'b']), ct)).toEqual(Uint8Array.of(7));
  });
});
