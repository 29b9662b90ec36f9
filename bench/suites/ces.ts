/**
 * Content extraction signatures suite (Steinfeld–Bull–Zheng, ICISC 2001):
 * sign / extract / verify for commit-vector, hash-tree and aggregate on a
 * FHIR-like record of 16/256/4096 fields with a quarter disclosed, against
 * @sd-jwt/core doing the equivalent issue / present / verify.
 */
import { load } from '../lib/load.js';
import type { Suite } from '../lib/types.js';

export const cesSuite: Suite = {
  name: 'ces',
  title: 'Content extraction signatures vs SD-JWT',
  async run(ctx) {
    const c = await load<Record<string, unknown>>('src/ces/index.js', ['sign', 'extract', 'verify']);
    if (!c.ok) return ctx.note(`ces suite skipped: ${c.reason}`);
  },
};
