/**
 * The registry of CP-ABE scheme cores, by name and by encoded id. Internal.
 */
import type { SchemeCore, SchemeName } from '../scheme.js';
import { bsw07Core } from './bsw07.js';
import { fameCore } from './fame.js';
import { waters11Core } from './waters11.js';

/** A scheme core with its key and ciphertext types erased (the framework treats them as opaque). */
// biome-ignore lint/suspicious/noExplicitAny: the registry erases each core's own component types
export type AnyCore = SchemeCore<any, any, any, any>;

const CORES: readonly AnyCore[] = [fameCore, waters11Core, bsw07Core];

/** The scheme names accepted by `setup`, default first. */
export const SCHEME_NAMES: readonly SchemeName[] = CORES.map((c) => c.name);

/** The core named `name`, or undefined. */
export function coreByName(name: string): AnyCore | undefined {
  return CORES.find((c) => c.name === name);
}

/** The core with encoded id `id`, or undefined. */
export function coreById(id: number): AnyCore | undefined {
  return CORES.find((c) => c.id === id);
}
