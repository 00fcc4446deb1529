/** The rows of a raw `execute`: PGlite returns `{ rows }`, postgres-js an array of rows. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  return Array.isArray(result) ? (result as Record<string, unknown>[]) : ((result as { rows: Record<string, unknown>[] }).rows ?? []);
}
