/**
 * @module Row selection in the devices list: single toggles, shift-click ranges over the rows in the order shown,
 * and the deep-link parameters that open a launcher with an action filled in.
 */

/**
 * Toggles `id`. With `range` (shift held) and an anchor among `ordered`, every row between the anchor and `id`
 * takes the new state of `id`, as in a file manager. Returns a new set; the anchor becomes `id`.
 * @example toggleSelection(new Set(['a']), ['a', 'b', 'c'], 'a', 'c', true).selected // Set {a, b, c}
 */
export function toggleSelection(
  selected: ReadonlySet<string>,
  ordered: readonly string[],
  anchor: string | null,
  id: string,
  range: boolean,
): { selected: Set<string>; anchor: string } {
  const next = new Set(selected);
  const on = !selected.has(id);
  const from = anchor === null ? -1 : ordered.indexOf(anchor);
  const to = ordered.indexOf(id);
  const ids = range && from >= 0 && to >= 0 ? ordered.slice(Math.min(from, to), Math.max(from, to) + 1) : [id];
  for (const each of ids) {
    if (on) next.add(each);
    else next.delete(each);
  }
  return { selected: next, anchor: id };
}

/** An action and its parameter values, from a link such as `/devices/ID?action=restart-vpn&Profile=lab`. */
export interface LinkPreset {
  action: string;
  parameters: Record<string, string>;
}

/** Names a link uses for itself, never taken as parameters. */
const reserved = new Set(['action', 'q']);

/** The preset a link asks for, or null without `action`. Parameters are every other query parameter. */
export function presetFromSearch(search: URLSearchParams): LinkPreset | null {
  const action = search.get('action')?.trim();
  if (!action) return null;
  const parameters: Record<string, string> = {};
  for (const [name, value] of search) if (!reserved.has(name) && !(name in parameters)) parameters[name] = value;
  return { action, parameters };
}
