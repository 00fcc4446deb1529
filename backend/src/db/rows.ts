/** The rows of a raw `execute`: PGlite returns `{ rows }`, postgres-js an array of rows. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}
