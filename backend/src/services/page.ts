import type { Page } from '@fixpoint/protocol';

/** One page of a list, as the protocol's `page()` schemas describe it. */
export type { Page };

/** The page that starts at `offset` and holds `items`, out of `total`. */
export function pageOf<T>(items: T[], total: number, offset: number): Page<T> {
  return { items, total, next: offset + items.length < total ? offset + items.length : null };
}
