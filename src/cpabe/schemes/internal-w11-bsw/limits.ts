/**
 * Decoding limits shared by the Waters11 and BSW07 encodings. Internal.
 */

/** Maximum number of attributes in one secret key. */
export const MAX_KEY_ATTRIBUTES = 4096;
/** Maximum number of LSSS rows in one ciphertext. */
export const MAX_ROWS = 4096;
/** Maximum UTF-8 length of one attribute label. */
export const MAX_LABEL_BYTES = 1024;
