/**
 * @module The markdown subset of campaign texts, rendered to safe HTML without a DOM.
 *
 * Supported: paragraphs, line breaks, `**bold**`, `*italic*` / `_italic_`, `-` and `1.` lists, and links to
 * http(s) and mailto. Everything else, raw HTML, images and links to any other scheme included, comes out as
 * escaped text. `{{name}}` and `{user}` are parsed as tokens and substituted while rendering, so a value can never
 * add markup: it is always escaped (and URL-encoded inside a link).
 */

type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'strong' | 'em'; children: Inline[] }
  | { kind: 'link'; href: Inline[]; children: Inline[] }
  | { kind: 'param'; name: string }
  | { kind: 'user' };

type Block = { kind: 'p'; text: string } | { kind: 'ul' | 'ol'; items: string[]; start: number };

interface Allowed {
  strong: boolean;
  em: boolean;
  link: boolean;
}

const placeholderAt = /^\{\{\s*([A-Za-z][A-Za-z0-9_]{0,63})\s*\}\}/;
const placeholderAll = /\{\{\s*([A-Za-z][A-Za-z0-9_]{0,63})\s*\}\}/g;
const escapable = '\\`*_{}[]()#+-.!<>|~';
const safeUrl = /^(https?:\/\/[^/?#\s]+|mailto:[^\s]+)[^\s<>"'`\\]*$/i;
const isSpace = (ch: string | undefined) => ch === undefined || ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || /\s/.test(ch);
const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The `{{name}}` placeholders a text uses, in order of appearance (with repeats). */
export function placeholderNames(text: string): string[] {
  return [...text.matchAll(placeholderAll)].map((m) => m[1]!);
}

/**
 * Substitutes `{{name}}` and `{user}` in plain text (titles, labels). The result is text, not HTML: bind it as text.
 * A name missing from `params` (or an undefined `user`) stays as written, which previews show as a hint.
 */
export function renderText(text: string, params: Readonly<Record<string, string>> = {}, user?: string): string {
  return text
    .replace(placeholderAll, (whole, name: string) => (Object.hasOwn(params, name) ? params[name]! : whole))
    .replace(/\{user\}/g, (whole) => user ?? whole);
}

/**
 * Renders the markdown subset to an HTML string that is safe to insert as markup.
 * @example renderMarkdown('Hi **{user}**, restart by {{deadline}}.', { deadline: 'Friday' }, 'Ana')
 * // → '<p>Hi <strong>Ana</strong>, restart by Friday.</p>'
 */
export function renderMarkdown(text: string, params: Readonly<Record<string, string>> = {}, user?: string): string {
  const render = (nodes: Inline[]): string => nodes.map((n) => renderNode(n, params, user)).join('');
  return parseBlocks(text)
    .map((b) => {
      if (b.kind === 'p') return `<p>${render(parseInline(b.text, all))}</p>`;
      const start = b.kind === 'ol' && b.start !== 1 ? ` start="${b.start}"` : '';
      return `<${b.kind}${start}>${b.items.map((item) => `<li>${render(parseInline(item, all))}</li>`).join('')}</${b.kind}>`;
    })
    .join('');
}

const all: Allowed = { strong: true, em: true, link: true };

function renderNode(node: Inline, params: Readonly<Record<string, string>>, user: string | undefined): string {
  const value = (n: Inline) => (n.kind === 'param' ? (Object.hasOwn(params, n.name) ? params[n.name]! : `{{${n.name}}}`) : (user ?? '{user}'));
  switch (node.kind) {
    case 'text':
      return escapeHtml(node.text).replace(/\n/g, '<br>');
    case 'param':
    case 'user':
      return escapeHtml(value(node)).replace(/\n/g, '<br>');
    case 'strong':
    case 'em':
      return `<${node.kind}>${node.children.map((n) => renderNode(n, params, user)).join('')}</${node.kind}>`;
    case 'link': {
      // values are URL-encoded, so they cannot leave the path or query they were placed in
      const href = node.href.map((n) => (n.kind === 'text' ? n.text : encodeURIComponent(value(n)))).join('');
      const label = node.children.map((n) => renderNode(n, params, user)).join('');
      return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${label}</a>`;
    }
  }
}

function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current = null as Block | null;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (!line.trim()) {
      current = null;
      continue;
    }
    const bullet = /^ {0,3}[-*+][ \t]+(.*)$/.exec(line);
    const numbered = bullet ? null : /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/.exec(line);
    if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      let list = current?.kind === kind ? current : null;
      if (!list) blocks.push((list = { kind, items: [], start: numbered ? Number(numbered[1]) : 1 }));
      list.items.push((bullet ? bullet[1] : numbered![2])!.trim());
      current = list;
    } else if (current && current.kind !== 'p' && /^[ \t]{2,}\S/.test(line)) {
      // an indented line continues the list item above it
      current.items[current.items.length - 1] += `\n${line.trim()}`;
    } else if (current?.kind === 'p') {
      current.text += `\n${line.trim()}`;
    } else {
      blocks.push((current = { kind: 'p', text: line.trim() }));
    }
  }
  return blocks;
}

/** Whether the character at `k` is preceded by an odd number of backslashes. */
function escapedAt(s: string, k: number): boolean {
  let n = 0;
  while (k - n - 1 >= 0 && s[k - n - 1] === '\\') n++;
  return n % 2 === 1;
}

/**
 * Index of the closing delimiter at or after `from`, or -1. Whether a position can close does not depend on
 * `from`, so one failed search answers every later one (`misses`), which keeps unmatched markers linear.
 */
function findClose(s: string, from: number, delim: '**' | '*' | '_', misses: Map<string, number>): number {
  if (from >= (misses.get(delim) ?? Infinity)) return -1;
  for (let k = s.indexOf(delim, from); k >= 0; k = s.indexOf(delim, k + 1)) {
    if (k === from || escapedAt(s, k) || isSpace(s[k - 1])) continue;
    if (delim === '*' && (s[k + 1] === '*' || s[k - 1] === '*')) continue; // part of a **strong** marker
    if (delim === '_' && isWordChar(s[k + 1])) continue;
    return k;
  }
  misses.set(delim, Math.min(from, misses.get(delim) ?? Infinity));
  return -1;
}

/** `[label](url)` starting at `i`: the parts and the index after `)`, or null when it is not shaped like a link. */
function linkAt(s: string, i: number): { label: string; url: string; end: number } | null {
  let k = i + 1;
  for (; k < s.length && s[k] !== ']'; k++) {
    if (s[k] === '\\') k++;
    else if (s[k] === '[' || s[k] === '\n') return null;
  }
  if (k >= s.length || s[k + 1] !== '(' || k === i + 1) return null;
  const close = s.indexOf(')', k + 2);
  if (close < 0 || s.slice(k + 2, close).includes('\n')) return null;
  return { label: s.slice(i + 1, k), url: s.slice(k + 2, close).trim(), end: close + 1 };
}

/** Splits a link target into text and placeholder parts; the scheme must be written out, not come from a value. */
function parseUrl(url: string): Inline[] | null {
  if (!safeUrl.test(url)) return null;
  const parts: Inline[] = [];
  let last = 0;
  for (const m of url.matchAll(/\{\{\s*([A-Za-z][A-Za-z0-9_]{0,63})\s*\}\}|\{user\}/g)) {
    if (m.index > last) parts.push({ kind: 'text', text: url.slice(last, m.index) });
    parts.push(m[1] ? { kind: 'param', name: m[1] } : { kind: 'user' });
    last = m.index + m[0].length;
  }
  if (last < url.length) parts.push({ kind: 'text', text: url.slice(last) });
  return parts;
}

function parseInline(s: string, allow: Allowed): Inline[] {
  const out: Inline[] = [];
  let buf = '';
  const flush = () => {
    if (buf) out.push({ kind: 'text', text: buf });
    buf = '';
  };
  const push = (node: Inline) => {
    flush();
    out.push(node);
  };
  const misses = new Map<string, number>();
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    const next = s[i + 1];
    if (ch === '\\' && next !== undefined && escapable.includes(next)) {
      buf += next;
      i += 2;
      continue;
    }
    if (ch === '{') {
      const m = placeholderAt.exec(s.slice(i, i + 72));
      if (m) {
        push({ kind: 'param', name: m[1]! });
        i += m[0].length;
        continue;
      }
      if (s.startsWith('{user}', i)) {
        push({ kind: 'user' });
        i += 6;
        continue;
      }
    }
    if (ch === '!' && next === '[') {
      // images are outside the subset: the construct stays text (its placeholders are still filled in)
      buf += '![';
      i += 2;
      continue;
    }
    if (ch === '[') {
      const link = allow.link ? linkAt(s, i) : null;
      const href = link ? parseUrl(link.url) : null;
      if (link && href) {
        push({ kind: 'link', href, children: parseInline(link.label, { ...allow, link: false }) });
        i = link.end;
        continue;
      }
      // a link to another scheme (javascript:, data:) is inert text
    }
    if (ch === '*' && next === '*') {
      const close = allow.strong && !isSpace(s[i + 2]) ? findClose(s, i + 2, '**', misses) : -1;
      if (close > i + 2) push({ kind: 'strong', children: parseInline(s.slice(i + 2, close), { ...allow, strong: false }) });
      else buf += '**';
      i = close > i + 2 ? close + 2 : i + 2;
      continue;
    }
    if ((ch === '*' || (ch === '_' && !isWordChar(s[i - 1]))) && allow.em && !isSpace(next)) {
      const close = findClose(s, i + 1, ch, misses);
      if (close > i + 1) {
        push({ kind: 'em', children: parseInline(s.slice(i + 1, close), { ...allow, em: false }) });
        i = close + 1;
        continue;
      }
    }
    buf += ch;
    i++;
  }
  flush();
  return out;
}
