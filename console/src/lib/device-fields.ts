/** @module A device's facts and latest outputs as rows to read. */

/** Facts flattened to dotted paths (`disk.free_pct`), sorted, each value as text; deep or huge values are cut. */
export function flattenFacts(facts: Record<string, unknown>, maxDepth = 4): [string, string][] {
  const rows: [string, string][] = [];
  const walk = (value: unknown, path: string, depth: number) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && depth < maxDepth && Object.keys(value).length) {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key, depth + 1);
      return;
    }
    rows.push([path, factText(value)]);
  };
  walk(facts, '', 0);
  return rows.filter(([path]) => path).sort(([a], [b]) => a.localeCompare(b));
}

function factText(value: unknown, max = 300): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : Array.isArray(value) && value.every((v) => typeof v !== 'object') ? value.join(', ') : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface OutputRow {
  action: string;
  output: string;
  value: string;
  /** The query-language field that reads it, e.g. `remote_action.disk_usage.free_bytes`. */
  field: string;
}

/**
 * Latest outputs, stored on the device as `<action-slug>.<output>`, grouped by action. The field name follows the
 * query language, where `_` stands for `-` in the action part.
 */
export function outputRows(outputs: Record<string, unknown>): OutputRow[] {
  return Object.entries(outputs)
    .map(([key, value]) => {
      const dot = key.indexOf('.');
      const action = dot > 0 ? key.slice(0, dot) : key;
      const output = dot > 0 ? key.slice(dot + 1) : '';
      return { action, output, value: factText(value), field: `remote_action.${action.replaceAll('-', '_')}.${output}` };
    })
    .sort((a, b) => a.action.localeCompare(b.action) || a.output.localeCompare(b.output));
}
