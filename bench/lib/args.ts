/** Command-line parsing for `npm run bench -- [options]`. */
import type { Options } from './types.js';

export const USAGE = `usage: npm run bench -- [options]
  --quick              CI smoke mode: few samples, small sizes (seconds)
  --suite a,b          only these suites (primitives, cpabe, ces, records, e2e, storage, curves)
  --scheme a,b         only these schemes (fame, waters11, bsw07, commit-vector, hash-tree, aggregate, sd-jwt...)
  --op a,b             only operations whose name starts with one of these (keygen, encrypt...)
  --clock cpu|wall     time by process CPU time (default: robust on a shared machine) or wall clock
  --out DIR            output directory (default bench/results)
  --no-write           print the table, write no files
  --render FILE        measure nothing: rewrite latest.md and the charts from a saved latest.json
  --peer openabe       side by side with a native OpenABE build instead (--peer openabe --help)
  --curve c            pairing curve of this run: bn254 (default) or bls12-381
  --rows-out FILE      write the measured rows as JSON to FILE, no reports (the curves suite's children)
  --help               this text`;

function list(v: string | undefined, flag: string): string[] {
  if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
  return v
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
}

/** Parse argv (without node and script). Accepts `--flag value` and `--flag=value`. */
export function parseArgs(argv: readonly string[]): Options | 'help' {
  const o: { -readonly [K in keyof Options]: Options[K] } = {
    quick: false,
    suites: null,
    schemes: null,
    ops: null,
    outDir: 'bench/results',
    write: true,
    clock: 'cpu',
    render: null,
    curve: 'bn254',
    rowsOut: null,
  };
  const args = argv.flatMap((a) => (a.startsWith('--') && a.includes('=') ? a.split(/=(.*)/s, 2) : [a]));
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = () => args[++i];
    switch (a) {
      case '--quick':
        o.quick = true;
        break;
      case '--suite':
      case '--suites':
        o.suites = [...(o.suites ?? []), ...list(next(), a)];
        break;
      case '--scheme':
      case '--schemes':
        o.schemes = [...(o.schemes ?? []), ...list(next(), a)];
        break;
      case '--op':
      case '--ops':
        o.ops = [...(o.ops ?? []), ...list(next(), a)];
        break;
      case '--out': {
        const v = next();
        if (v === undefined) throw new Error('--out needs a value');
        o.outDir = v;
        break;
      }
      case '--clock': {
        const v = next();
        if (v !== 'cpu' && v !== 'wall') throw new Error('--clock expects cpu or wall');
        o.clock = v;
        break;
      }
      case '--render': {
        const v = next();
        if (v === undefined) throw new Error('--render needs a file');
        o.render = v;
        break;
      }
      case '--curve': {
        const v = next();
        if (v !== 'bn254' && v !== 'bls12-381') throw new Error('--curve expects bn254 or bls12-381');
        o.curve = v;
        break;
      }
      case '--rows-out': {
        const v = next();
        if (v === undefined) throw new Error('--rows-out needs a file');
        o.rowsOut = v;
        break;
      }
      case '--no-write':
        o.write = false;
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`unknown option ${a}\n${USAGE}`);
    }
  }
  return o;
}
