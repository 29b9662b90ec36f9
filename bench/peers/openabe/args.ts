/**
 * Command line of the native-peer run: `npm run bench -- --peer openabe --openabe DIR [--quick]`
 * (or `npm run bench:peers -- --openabe DIR`). The OpenABE tree may also come from the
 * environment (`OPENABE_DIR`, or `OPENABE_SRC`).
 */

export const PEER_USAGE = `usage: npm run bench -- --peer openabe [options]
  --openabe DIR        an OpenABE checkout you have built (root/ and deps/root/ inside it), or
                       an install prefix (include/ and lib/); default: $OPENABE_DIR or $OPENABE_SRC
                       (--openabe-src is the same option)
  --quick              few samples, N = 2 and 10 only (seconds; for trying the setup)
  --out FILE           where to write the markdown table (default bench/results/peer-openabe.md;
                       quick mode bench/results/quick/peer-openabe.md)
  --no-write           print the tables, write no file
  --help               this text
See bench/peers/openabe/README.md.`;

/** Known native peers. */
export const PEERS = ['openabe'] as const;

export interface PeerOptions {
  peer: (typeof PEERS)[number];
  /** The OpenABE tree (null: not given anywhere). */
  openabe: string | null;
  quick: boolean;
  /** Markdown output file, or null with --no-write. */
  out: string | null;
}

/** Whether argv asks for a native-peer run (`--peer X` or `--peer=X`). */
export function wantsPeer(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--peer' || a.startsWith('--peer='));
}

/**
 * Parse argv (without node and script). `env` supplies OPENABE_DIR / OPENABE_SRC when
 * `--openabe` is not given.
 *
 * @throws Error with a one-line message (and the usage) for an unknown option or peer.
 */
export function parsePeerArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): PeerOptions | 'help' {
  let peer: string | null = null;
  let dir: string | null = null;
  let quick = false;
  let out: string | null | undefined;
  const args = argv.flatMap((a) => (a.startsWith('--') && a.includes('=') ? a.split(/=(.*)/s, 2) : [a]));
  const value = (flag: string, v: string | undefined): string => {
    if (v === undefined || v.startsWith('--') || v.length === 0) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    switch (a) {
      case '--peer':
        peer = value(a, args[++i]).toLowerCase();
        break;
      case '--openabe':
      case '--openabe-src':
        dir = value(a, args[++i]);
        break;
      case '--quick':
        quick = true;
        break;
      case '--out':
        out = value(a, args[++i]);
        break;
      case '--no-write':
        out = null;
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`unknown option ${a} for a peer run\n${PEER_USAGE}`);
    }
  }
  if (peer === null) throw new Error(`--peer needs a value (known: ${PEERS.join(', ')})`);
  if (!(PEERS as readonly string[]).includes(peer)) {
    throw new Error(`unknown peer ${peer} (known: ${PEERS.join(', ')})`);
  }
  const fromEnv = [env.OPENABE_DIR, env.OPENABE_SRC].find((v) => v !== undefined && v.length > 0) ?? null;
  return {
    peer: peer as PeerOptions['peer'],
    openabe: dir ?? fromEnv,
    quick,
    out: out === undefined ? (quick ? 'bench/results/quick/peer-openabe.md' : 'bench/results/peer-openabe.md') : out,
  };
}
