/**
 * bpds/ces: content extraction signatures (Steinfeld, Bull, Zheng, "Content
 * Extraction Signatures", ICISC 2001) over JSON/FHIR records, with signed
 * extraction rules (the paper's CEAS) and four schemes behind one API:
 * `commit-vector` (default), `hash-tree`, `aggregate` (BLS on BN254) and `sd-jwt`
 * (an RFC 9901 SD-JWT VC that standard SD-JWT verifiers read). `fhirRules` derives
 * rules under which every disclosure of a FHIR R4 resource stays valid FHIR.
 *
 * A hospital signs a record once ({@link sign}); the patient discloses some fields
 * ({@link extract}); anyone checks the hospital's signature on exactly what was
 * disclosed ({@link verify}).
 *
 * @example
 * ```ts
 * import { extract, sign, SigningKey, verify } from 'bpds/ces';
 * const hospital = SigningKey.generate();
 * const record = { resourceType: 'Observation', status: 'final', valueQuantity: { value: 7.2, unit: 'mmol/L' } };
 * const signed = sign(hospital, record, { rules: { mandatory: ['/resourceType'] } });
 * const shown = extract(signed, record, ['/resourceType', '/valueQuantity']);
 * const r = verify(hospital.verifyKey(), shown.toBytes());
 * console.log(r.valid); // true
 * ```
 *
 * @module ces
 */
export type { JsonForm } from '../internal/json-form.js';
export { type ExtractOptions, extract } from './extract.js';
export { type FhirRulesOptions, fhirRules } from './fhir/fhir-rules.js';
export type { SchemeName } from './internal/header.js';
export type { WireJson } from './internal/wire.js';
export { type SignatureAlgorithm, SigningKey, VerifyKey } from './keys.js';
export { type HolderBinding, Presentation } from './presentation.js';
export { type ExtractionRules, RuleSet } from './rules.js';
export { type SignOptions, sign } from './sign.js';
export { SignedRecord } from './signed-record.js';
export type { ClaimsPath, DisclosedClaim, JsonValue, PathInput, PathPattern, PatternInput } from './types.js';
export { type VerifyFailure, type VerifyOptions, type VerifyResult, verify } from './verify.js';
