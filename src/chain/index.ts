/**
 * bpds/chain: the ledger adapter interface, the BPDS permission contract (ledger
 * independent), and `MemoryLedger`, an in-process consortium chain. Never loads
 * the WebAssembly backend.
 *
 * @module chain
 */

export { attestPatient } from './attestation.js';
export type { Block, BlockEntry, BlockHeader, ChainCheck } from './block.js';
export { type ApplyResult, DEFAULT_BREAK_GLASS_SECONDS, PermissionContract } from './contract.js';
export { genesisDigest } from './genesis.js';
export { MAX_CUSTODIAN_GRANTS } from './internal/custodian-grants.js';
export {
  MemoryLedger,
  type MemoryLedgerOptions,
} from './memory-ledger.js';
export {
  createTransaction,
  parseTransaction,
  serializeTransaction,
  TX_LIMITS,
  txId,
} from './transaction.js';
export {
  type AccessDecision,
  type Anchor,
  type DecisionReason,
  type GenesisAuthority,
  type GenesisConfig,
  type Grant,
  type Grantee,
  type Ledger,
  type LedgerEvent,
  type LedgerEventType,
  type Party,
  type PartyRole,
  type PatientAttestation,
  PURPOSES_OF_USE,
  type PurposeOfUse,
  type SignedTransaction,
  type TxBodies,
  type TxReceipt,
  type TxType,
  type UnsignedTransaction,
} from './types.js';
