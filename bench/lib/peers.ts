/**
 * External reference figures for native CP-ABE peers (AND policy of 100 attributes,
 * median ms, measured on this kind of 2-core AMD EPYC machine). They are NOT runs of
 * this harness: the report prints them beside bpds's own rows, labelled as external.
 */
export interface PeerFigure {
  library: string;
  backend: string;
  scheme: 'fame' | 'waters11' | 'bsw07';
  keygen: number;
  encrypt: number;
  decryptCpa: number;
  decryptCca: number | null;
}

export const PEER_FIGURES: readonly PeerFigure[] = [
  {
    library: 'OpenABE',
    backend: 'C++, RELIC x86-64 assembly, BN254',
    scheme: 'waters11',
    keygen: 8.7,
    encrypt: 27.4,
    decryptCpa: 15.2,
    decryptCca: 47.0,
  },
  {
    library: 'Charm + PBC',
    backend: 'Python + C, BN254',
    scheme: 'fame',
    keygen: 554,
    encrypt: 420,
    decryptCpa: 106,
    decryptCca: null,
  },
  {
    library: 'Charm + PBC',
    backend: 'Python + C, SS512',
    scheme: 'bsw07',
    keygen: 245,
    encrypt: 251,
    decryptCpa: 133,
    decryptCca: null,
  },
];
