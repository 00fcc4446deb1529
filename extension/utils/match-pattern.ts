/**
 * @module
 * WebExtension match patterns (`https://*.service-now.com/*`), parsed the way browsers do, so the options page,
 * the background and the adapters agree on which pages a site covers.
 */

const patternShape = /^(\*|https?):\/\/(\*|\*\.[^/*:]+|[^/*:]+)(:\d+)?(\/.*)$/;

export interface ParsedPattern {
  scheme: '*' | 'http' | 'https';
  host: string;
  port?: string;
  path: string;
}

/** Parses a match pattern, or returns null when it is not one this extension accepts (http/https only). */
export function parseMatchPattern(pattern: string): ParsedPattern | null {
  const m = patternShape.exec(pattern.trim());
  if (!m) return null;
  const [, scheme, host, port, path] = m;
  return { scheme: scheme as ParsedPattern['scheme'], host: host!.toLowerCase(), path: path!, ...(port ? { port: port.slice(1) } : {}) };
}

function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

/** Whether `url` is covered by `pattern`. Invalid patterns and unparsable URLs match nothing. */
export function matchesPattern(pattern: string, url: string): boolean {
  const p = parseMatchPattern(pattern);
  if (!p) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const scheme = u.protocol.slice(0, -1);
  if (p.scheme === '*' ? scheme !== 'http' && scheme !== 'https' : scheme !== p.scheme) return false;
  const host = u.hostname.toLowerCase();
  if (p.host !== '*') {
    if (p.host.startsWith('*.')) {
      const base = p.host.slice(2);
      if (host !== base && !host.endsWith(`.${base}`)) return false;
    } else if (host !== p.host) return false;
  }
  if (p.port && u.port !== p.port) return false;
  return globToRegExp(p.path).test(u.pathname + u.search);
}

/** The origin pattern a host permission is requested for (browsers ignore the path of host permissions). */
export function originPattern(pattern: string): string | null {
  const p = parseMatchPattern(pattern);
  if (!p) return null;
  return `${p.scheme}://${p.host}${p.port ? `:${p.port}` : ''}/*`;
}

/** The match pattern for a backend base URL, e.g. `https://fixpoint.example.com/*`. */
export function patternForUrl(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    return `${u.protocol}//${u.host}/*`;
  } catch {
    return null;
  }
}
