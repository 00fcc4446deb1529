/** Deeper JSON than this is refused: no legitimate input needs it, and serializers recurse. */
export const maxJsonDepth = 32;

/**
 * Finds what PostgreSQL cannot store or what would blow the stack on the way there: NUL characters anywhere
 * (strings and object keys; text and jsonb cannot hold them) and nesting deeper than `maxJsonDepth`.
 * Returns the problem and where it is, or null. Every HTTP input passes here (http/route.ts), and so does
 * anything else that arrives from outside, such as agent facts.
 */
export function findUnstorable(value: unknown, path: (string | number)[] = []): { path: string; problem: string } | null {
  const at = (p: (string | number)[], problem: string) => ({ path: p.join('.'), problem });
  if (typeof value === 'string') return value.includes('\0') ? at(path, 'contains a NUL character') : null;
  if (value === null || typeof value !== 'object') return null;
  if (path.length >= maxJsonDepth) return at(path, `is nested deeper than ${maxJsonDepth} levels`);
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, item] of entries) {
    if (typeof key === 'string' && key.includes('\0')) return at([...path, key], 'contains a NUL character');
    const found = findUnstorable(item, [...path, key]);
    if (found) return found;
  }
  return null;
}
