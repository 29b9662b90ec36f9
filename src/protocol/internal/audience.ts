/** Who a patient presentation is encrypted for. Internal. */
import type { Grantee } from '../../chain/index.js';
import { toBase64url } from '../../internal/bytes.js';
import { parsePolicy, policyDigest } from '../../policy/index.js';
import { identityAttribute } from '../identity.js';

/**
 * The audience of a presentation (bound into its ciphertext and its holder
 * binding): the requester id, or `policy:<base64url policy digest>`.
 */
export function presentationAudience(grantee: Grantee): string {
  return 'requester' in grantee
    ? grantee.requester
    : `policy:${toBase64url(policyDigest(parsePolicy(grantee.policy)))}`;
}

/** The CP-ABE policy a presentation is encrypted under. */
export function presentationPolicy(grantee: Grantee): string {
  return 'requester' in grantee ? identityAttribute(grantee.requester) : grantee.policy;
}
