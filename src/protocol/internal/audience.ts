/** Who a patient presentation is encrypted for. Internal. */
import type { Grantee } from '../../chain/index.js';
import { identityAttribute } from '../identity.js';

/** The audience string bound into a presentation ciphertext: the requester id, or `policy:<canonical policy>`. */
export function presentationAudience(grantee: Grantee): string {
  return 'requester' in grantee ? grantee.requester : `policy:${grantee.policy}`;
}

/** The CP-ABE policy a presentation is encrypted under. */
export function presentationPolicy(grantee: Grantee): string {
  return 'requester' in grantee ? identityAttribute(grantee.requester) : grantee.policy;
}
