/**
 * bpds/evm: the BPDS consortium ledger on EVM chains (Hyperledger Besu, GoQuorum): `EvmLedger`
 * (the `Ledger` interface of `bpds/chain` over the Solidity permission contract), its deployment,
 * the party-to-account directory, and the compiled contract. Needs the optional peer dependency
 * `viem`; nothing else in bpds loads it. See `docs/evm.md`.
 *
 * @module evm
 */

export { type PartyAccounts, PartyKeyring, type PartyKeyringOptions } from './accounts.js';
export { PERMISSIONS_ABI, PERMISSIONS_BUILD, PERMISSIONS_BYTECODE } from './artifact.js';
export type { NodeConnection } from './client.js';
export { type Deployment, type DeployOptions, deployPermissions } from './deploy.js';
export { EvmLedger, type EvmLedgerOptions } from './ledger.js';
export { type EvmOnlyReason, REVERT_REASONS } from './reasons.js';
