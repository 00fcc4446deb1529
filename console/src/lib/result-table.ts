/** @module Query results as a table: cell text by column type, sorting by any column, and pages of rows. */
import { factKind, formatValue, outputTypes, type QueryColumn, type QueryColumnType, type ValueKind } from '@fixpoint/protocol';

export interface SortState {
  column: number;
  direction: 'asc' | 'desc';
}

/**
 * How a column's values read: its type when that is an output type (`size`, `ratio`…), else what its name tells
 * (`disk.free_pct`, `memory.total_bytes`, `uptime_sec`), so facts and outputs read as on the device page.
 */
export function columnKind(column: Pick<QueryColumn, 'name' | 'type'>): ValueKind | undefined {
  if ((outputTypes as readonly string[]).includes(column.type)) return column.type as ValueKind;
  return factKind(column.name);
}

/** A cell as text, formatted by the column's kind: dates in local time, sizes, percentages, durations; empty for null. */
export function formatCell(value: unknown, column: Pick<QueryColumn, 'name' | 'type'>): string {
  return formatValue(value, columnKind(column));
}

function sortKey(value: unknown, type: QueryColumnType): number | string | null {
  if (value === null || value === undefined) return null;
  if (type === 'datetime' && typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? value : t;
  }
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return formatValue(value).toLowerCase();
}

/** Compares two keys: numbers before text, then natural order; used by `sortRows`. */
function compareKeys(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a.localeCompare(b, undefined, { numeric: true });
}

/**
 * Sorts rows by one column without changing the input. Empty cells always go last; equal cells keep the order the
 * query gave them, so a second sort refines the first.
 */
export function sortRows(rows: readonly unknown[][], sort: SortState, type: QueryColumnType): unknown[][] {
  const keyed = rows.map((row, index) => ({ row, index, key: sortKey(row[sort.column], type) }));
  const sign = sort.direction === 'asc' ? 1 : -1;
  keyed.sort((a, b) => {
    if (a.key === null || b.key === null) return a.key === b.key ? a.index - b.index : a.key === null ? 1 : -1;
    return sign * compareKeys(a.key, b.key) || a.index - b.index;
  });
  return keyed.map((k) => k.row);
}

/** Clicking a header: a new column sorts ascending, the same column flips direction. */
export function nextSort(current: SortState | null, column: number): SortState {
  if (current?.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column, direction: 'asc' };
}

export interface PageInfo<T> {
  items: T[];
  /** 0-based page shown (clamped to the pages there are). */
  page: number;
  pages: number;
  /** 1-based positions of the first and last row shown; 0 and 0 when there are none. */
  from: number;
  to: number;
}

export function pageOf<T>(rows: readonly T[], page: number, size: number): PageInfo<T> {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const current = Math.min(Math.max(0, page), pages - 1);
  const items = rows.slice(current * size, current * size + size);
  return { items, page: current, pages, from: items.length ? current * size + 1 : 0, to: current * size + items.length };
}
