import { badRequest } from '../../errors';

/** Deeper JSON than this is refused: no legitimate fact or parameter needs it, and serializers recurse. */
export const maxJsonDepth = 32;

/**
 * Rejects values PostgreSQL cannot store or that would blow the stack on the way there: NUL characters anywhere
 * (strings and object keys; text and jsonb cannot hold them) and nesting deeper than `maxJsonDepth`.
 * Without it such input would fail deep in the driver instead of being refused as the caller's mistake.
 */
export function rejectUnstorable(value: unknown, where: string): void {
  const problem = inspect(value, 0);
  if (problem) throw badRequest(`${where} ${problem}`);
}

function inspect(value: unknown, depth: number): string | null {
  if (typeof value === 'string') return value.includes('\0') ? 'contains a NUL character' : null;
  if (value === null || typeof value !== 'object') return null;
  if (depth >= maxJsonDepth) return `is nested deeper than ${maxJsonDepth} levels`;
  if (Array.isArray(value)) {
    for (const v of value) {
      const problem = inspect(v, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\0')) return 'contains a NUL character';
    const problem = inspect(v, depth + 1);
    if (problem) return problem;
  }
  return null;
}
