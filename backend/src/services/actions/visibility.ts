import type { Principal } from '../identity/rights';
import { can } from '../identity/rights';

/** Which actions a principal may see: every one, or only these slugs. */
export type ActionVisibility = '*' | ReadonlySet<string>;

/**
 * Authors and admins see the whole library, and so do read-only principals (the viewer role reads actions).
 * A principal that runs actions without editing them sees only the ones it may run, so a support agent's
 * list is exactly what it can launch.
 */
export function actionVisibility(principal: Principal): ActionVisibility {
  if (can(principal, 'actions:edit')) return '*';
  if (can(principal, 'actions:run')) return principal.runnableActions;
  return '*';
}

export function isVisible(visibility: ActionVisibility, slug: string): boolean {
  return visibility === '*' || visibility.has(slug);
}
