import { useEffect, useMemo, useState } from 'preact/hooks';
import { Link } from '../../components/Link';
import { formatCell, nextSort, pageOf, sortRows, type SortState } from '../../lib/result-table';
import { pathFor } from '../../router/routes';
import type { QueryRun } from '../../stores/device-query';

/** Row checkboxes for device rows: which are selected, and what a click (with shift for a range) does. */
export interface RowSelection {
  selected: ReadonlySet<string>;
  /** `ordered` is every row's id in the order shown, for shift-click ranges across pages. */
  onToggle(id: string, range: boolean, ordered: readonly string[]): void;
  onTogglePage(ids: readonly string[], on: boolean): void;
}

export interface QueryResultsProps {
  run: QueryRun;
  pageSize?: number;
  selection?: RowSelection | undefined;
}

/** The rows of a query: sortable headers (client side, over every row returned), pages, and links to devices or executions. */
export function QueryResults({ run, pageSize = 25, selection }: QueryResultsProps) {
  const [sort, setSort] = useState<SortState | null>(null);
  const [page, setPage] = useState(0);
  useEffect(() => {
    setSort(null);
    setPage(0);
  }, [run]);
  const { columns, rows } = run.result;
  const sorted = useMemo(() => (sort ? sortRows(rows, sort, columns[sort.column]!.type) : rows), [rows, sort]);
  const shown = pageOf(sorted, page, pageSize);
  // The id the console added is for links only; a listed id stays a column.
  const visible = columns.map((c, i) => ({ ...c, index: i })).filter((c) => !(run.prepared.addedId && c.index === run.idColumn));
  const idOf = (row: unknown[]) => String(row[run.idColumn]);
  const selectable = selection && run.table === 'devices' && run.idColumn >= 0 ? selection : undefined;
  const ordered = useMemo(() => (selectable ? sorted.map(idOf) : []), [sorted, Boolean(selectable)]);
  const pageIds = selectable ? shown.items.map(idOf) : [];
  const pageAll = pageIds.length > 0 && pageIds.every((id) => selectable!.selected.has(id));
  const linkTo = (row: unknown[]) => {
    if (run.idColumn < 0) return null;
    const id = String(row[run.idColumn]);
    if (run.table === 'devices') return pathFor('device', { id });
    if (run.table === 'executions') return pathFor('execution', { id });
    return null;
  };
  return (
    <>
      <div class="table-scroll">
        <table class="table results">
          <caption class="visually-hidden">Query results, {rows.length} rows; the column headers sort them</caption>
          <thead>
            <tr>
              {selectable ? (
                // a plain cell: the checkbox names itself, and the column headers stay the query's columns
                <td class="check-cell">
                  <input
                    type="checkbox"
                    aria-label="Select the devices on this page"
                    checked={pageAll}
                    onChange={() => selectable.onTogglePage(pageIds, !pageAll)}
                  />
                </td>
              ) : null}
              {visible.map((c) => {
                const active = sort?.column === c.index;
                return (
                  <th key={c.index} scope="col" aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}>
                    <button type="button" class="sort-button" onClick={() => (setSort(nextSort(sort, c.index)), setPage(0))}>
                      {c.name}
                      <span aria-hidden="true" class="sort-mark">
                        {active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.items.map((row, r) => {
              const href = linkTo(row);
              return (
                <tr key={`${shown.page}-${r}`} class={selectable?.selected.has(idOf(row)) ? 'selected' : undefined}>
                  {selectable ? (
                    <td class="check-cell">
                      <input
                        type="checkbox"
                        aria-label={`Select ${String(row[visible[0]?.index ?? 0] ?? idOf(row))}`}
                        checked={selectable.selected.has(idOf(row))}
                        // click, not change: only the click carries the shift key
                        onClick={(e) => selectable.onToggle(idOf(row), e.shiftKey, ordered)}
                      />
                    </td>
                  ) : null}
                  {visible.map((c, i) => {
                    const text = formatCell(row[c.index], c);
                    return (
                      <td key={c.index} class={c.type === 'number' ? 'num' : undefined}>
                        {i === 0 && href ? <Link href={href}>{text || '(no name)'}</Link> : text}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {shown.pages > 1 ? (
        <nav class="pager" aria-label="Result pages">
          <button type="button" class="button" disabled={shown.page === 0} onClick={() => setPage(shown.page - 1)}>
            Previous
          </button>
          <span class="muted">
            Rows {shown.from}–{shown.to} of {rows.length} (page {shown.page + 1} of {shown.pages})
          </span>
          <button type="button" class="button" disabled={shown.page >= shown.pages - 1} onClick={() => setPage(shown.page + 1)}>
            Next
          </button>
        </nav>
      ) : null}
    </>
  );
}
