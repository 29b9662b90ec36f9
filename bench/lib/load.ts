/**
 * Optional imports: the modules a suite measures may not exist yet (or be
 * half-written in a shared tree). A suite loads them here and skips with a
 * printed note instead of failing the run.
 */

export type Loaded<T> = { ok: true; mod: T } | { ok: false; reason: string };

/**
 * Import `path` (relative to the repository root, `.js` suffix as in source) and
 * check that it exports every name in `required` (as functions or objects).
 */
export async function load<T>(path: string, required: readonly string[]): Promise<Loaded<T>> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(new URL(`../../${path}`, import.meta.url).href)) as Record<string, unknown>;
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0] ?? String(e);
    return { ok: false, reason: `${path} could not be loaded (${msg})` };
  }
  const missing = required.filter((n) => mod[n] === undefined);
  if (missing.length > 0) return { ok: false, reason: `${path} does not export ${missing.join(', ')} yet` };
  return { ok: true, mod: mod as T };
}
