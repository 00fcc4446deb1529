/** @module A screen's list of resources as a table, with its error, loading and empty states. */
import type { ComponentChildren } from 'preact';
import { ListState } from './Feedback';

export interface ResourceTableProps<T> {
  /** The list's load (see `useLoad`). */
  load: { data: { items: readonly T[] } | undefined; error: unknown; loading: boolean };
  /** Another error to show when the load has none, e.g. a failed delete. */
  error?: unknown;
  /** Names the table; only screen readers hear it unless `showCaption` is set. */
  caption: string;
  showCaption?: boolean;
  /** Column headings; each row's first cell is its header (`<th scope="row">`). */
  columns: readonly string[];
  /** Adds a last column for each row's buttons, named "Actions" for screen readers. */
  actions?: boolean;
  /** Shown when the list loaded empty, usually an `EmptyState`. */
  empty: ComponentChildren;
  /** One item's `<tr>` (or more, e.g. a row and its inline editor). */
  row: (item: T) => ComponentChildren;
}

export function ResourceTable<T>({ load, error, caption, showCaption, columns, actions, empty, row }: ResourceTableProps<T>) {
  const items = load.data?.items ?? [];
  return (
    <>
      <ListState load={load} error={error}>
        {empty}
      </ListState>
      {items.length > 0 ? (
        <table class="table">
          <caption class={showCaption ? undefined : 'visually-hidden'}>{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
              {actions ? (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>{items.map((item) => row(item))}</tbody>
        </table>
      ) : null}
    </>
  );
}
