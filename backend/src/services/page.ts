/** One page of a list: its items, the total, and the offset of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  total: number;
  next: number | null;
}

/** The page that starts at `offset` and holds `items`, out of `total`. */
export function pageOf<T>(items: T[], total: number, offset: number): Page<T> {
  return { items, total, next: offset + items.length < total ? offset + items.length : null };
}
