/**
 * @module
 * Device names are host names (RFC 1123): dot-separated labels of 1–63 letters, digits and hyphens, not starting or
 * ending with a hyphen, 253 characters at most. Enrollment refuses anything else, and the extension looks up only
 * text that passes, so a page can never offer actions on a "device" made of markup or prose. Free of zod, so the
 * extension's content script can use it without bundling zod; `DeviceName` in devices.ts is built from it.
 */

/** Longest host name (a fully qualified name without its trailing dot). */
export const maxHostnameLength = 253;
const maxLabelLength = 63;
const labelPattern = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** Why `name` is not a host name, in words for the person who typed or saw it; undefined when it is one. */
export function hostnameProblem(name: string): string | undefined {
  if (!name) return 'a host name cannot be empty';
  if (name.length > maxHostnameLength) return `a host name has at most ${maxHostnameLength} characters`;
  const bad = /[^a-z0-9.-]/i.exec(name);
  if (bad) return `a host name has only letters, digits, hyphens and dots, not ${JSON.stringify(bad[0])}`;
  for (const label of name.split('.')) {
    if (!label) return 'a host name has no empty part between dots';
    if (label.length > maxLabelLength) return `each dot-separated part of a host name has at most ${maxLabelLength} characters`;
    if (!labelPattern.test(label)) return 'no part of a host name starts or ends with a hyphen';
  }
  return undefined;
}

/** Whether `name` is a valid host name. */
export function isHostname(name: string): boolean {
  return hostnameProblem(name) === undefined;
}

/**
 * The nearest host name to `raw` (a computer name that may hold spaces, underscores or accents): other characters
 * become hyphens, parts are trimmed of hyphens and cut to 63 characters, the whole to 253. Undefined when nothing
 * usable is left.
 * @example toHostname('Ana’s MacBook Pro') // 'Ana-s-MacBook-Pro'
 */
export function toHostname(raw: string): string | undefined {
  const labels = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9.-]+/gi, '-')
    .split('.')
    .map((l) => l.replace(/^-+/, '').slice(0, maxLabelLength).replace(/-+$/, ''))
    .filter(Boolean);
  let name = labels.join('.');
  while (name.length > maxHostnameLength) name = name.slice(0, name.lastIndexOf('.'));
  return name && isHostname(name) ? name : undefined;
}
