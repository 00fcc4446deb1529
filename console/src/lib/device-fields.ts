/** @module A device's facts and latest outputs as rows to read, each value formatted by what it holds. */
import { factKind, formatValue, isRecordList, type OutputType } from '@fixpoint/protocol';

/** A list of objects (the `disks` fact) as a small table: the union of their keys, each cell formatted by its key. */
export interface FactTable {
  columns: string[];
  rows: string[][];
}

export interface FactRow {
  path: string;
  text: string;
  /** Present for lists of objects, which read better as a table than as text. */
  table?: FactTable;
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function factTable(list: Record<string, unknown>[]): FactTable {
  const columns = [...new Set(list.flatMap((item) => Object.keys(item)))];
  return { columns, rows: list.map((item) => columns.map((c) => cut(formatValue(item[c], factKind(c)), 120))) };
}

/**
 * Facts flattened to dotted paths (`disk.free_pct`), sorted, each value formatted by the kind its name tells
 * (`memory.total_bytes` → "16 GB"); lists of objects become tables; deep or huge values are cut.
 */
export function flattenFacts(facts: Record<string, unknown>, maxDepth = 4): FactRow[] {
  const rows: FactRow[] = [];
  const walk = (value: unknown, path: string, depth: number) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && depth < maxDepth && Object.keys(value).length) {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key, depth + 1);
      return;
    }
    if (isRecordList(value)) rows.push({ path, text: `${value.length} entries`, table: factTable(value) });
    else rows.push({ path, text: cut(formatValue(value, factKind(path)), 300) });
  };
  walk(facts, '', 0);
  return rows.filter((r) => r.path).sort((a, b) => a.path.localeCompare(b.path));
}

export interface OutputRow {
  action: string;
  output: string;
  value: string;
  /** The query-language field that reads it, e.g. `remote_action.disk_usage.free_bytes`. */
  field: string;
}

/**
 * Latest outputs, stored on the device as `<action-slug>.<output>`, grouped by action, each formatted by its
 * declared type when `types` (by the same key) knows it. The field name follows the query language, where `_`
 * stands for `-` in the action part.
 */
export function outputRows(outputs: Record<string, unknown>, types: Record<string, OutputType> = {}): OutputRow[] {
  return Object.entries(outputs)
    .map(([key, value]) => {
      const dot = key.indexOf('.');
      const action = dot > 0 ? key.slice(0, dot) : key;
      const output = dot > 0 ? key.slice(dot + 1) : '';
      const kind = types[key] ?? factKind(output);
      return { action, output, value: cut(formatValue(value, kind), 300), field: `remote_action.${action.replaceAll('-', '_')}.${output}` };
    })
    .sort((a, b) => a.action.localeCompare(b.action) || a.output.localeCompare(b.output));
}

/** The declared type of each output of the given actions, keyed like a device's outputs (`<action-slug>.<output>`). */
export function outputTypes(actions: readonly { slug: string; current: { outputs: readonly { name: string; type: OutputType }[] } }[]): Record<string, OutputType> {
  return Object.fromEntries(actions.flatMap((a) => a.current.outputs.map((o) => [`${a.slug}.${o.name}`, o.type] as const)));
}

/** The action slugs that reported outputs on a device, sorted. */
export function outputActions(outputs: Record<string, unknown>): string[] {
  return [...new Set(Object.keys(outputs).map((k) => (k.includes('.') ? k.slice(0, k.indexOf('.')) : k)))].sort();
}
