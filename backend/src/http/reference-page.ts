/** A self-contained, human-readable API reference rendered from the OpenAPI document (no CDN, no script). */
const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The markdown that summaries and descriptions use, as OpenAPI tools render it: `code` spans and **bold**, on
 * escaped text (a code span's content stays literal, so `*` inside it is no emphasis).
 */
export function inlineMarkdown(text: unknown): string {
  return String(text ?? '')
    .split(/(`[^`]+`)/)
    .map((part) => (/^`[^`]+`$/.test(part) ? `<code>${esc(part.slice(1, -1))}</code>` : esc(part).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')))
    .join('');
}

export function renderReferencePage(doc: Record<string, unknown>): string {
  const info = doc.info as { title: string; version: string; description: string };
  const tagDescriptions = new Map(((doc.tags as { name: string; description?: string }[] | undefined) ?? []).map((t) => [t.name, t.description]));
  const anchor = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags as string[])[0] ?? 'other';
      const permission = op['x-fixpoint-permission'] ? `<span class="perm">${esc(op['x-fixpoint-permission'])}</span>` : '<span class="perm">public</span>';
      const params = ((op.parameters as { name: string; in: string; required: boolean }[] | undefined) ?? [])
        .map((p) => `<code>${esc(p.name)}</code> <small>${esc(p.in)}${p.required ? ', required' : ''}</small>`)
        .join(' · ');
      const body = op.requestBody
        ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify((op.requestBody as { content: Record<string, { schema: unknown }> }).content['application/json']?.schema ?? {}, null, 2))}</pre></details>`
        : '';
      const ok = Object.entries(op.responses as Record<string, { content?: Record<string, { schema?: unknown }> }>)[0];
      const response = ok?.[1].content
        ? `<details><summary>Response ${esc(ok[0])}</summary><pre>${esc(JSON.stringify(Object.values(ok[1].content)[0]?.schema ?? {}, null, 2))}</pre></details>`
        : '';
      const entry = `<section id="${esc(op.operationId)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code> ${permission}</h3><p>${inlineMarkdown(op.summary)}</p>${params ? `<p>${params}</p>` : ''}${body}${response}</section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), entry]);
    }
  }
  // Sections in the document's tag order; a tag it does not list comes after them.
  const order = [...tagDescriptions.keys()];
  const tags = [...byTag.keys()].sort((a, b) => (order.indexOf(a) + 1 || Infinity) - (order.indexOf(b) + 1 || Infinity));
  const nav = tags.map((t) => `<a href="#${anchor(t)}">${esc(t)}</a>`).join('');
  const sections = tags
    .map((t) => {
      const about = tagDescriptions.get(t);
      return `<h2 id="${anchor(t)}">${esc(t)}</h2>${about ? `<p>${inlineMarkdown(about)}</p>` : ''}${byTag.get(t)!.join('')}`;
    })
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(info.title)} reference</title><style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;display:grid;grid-template-columns:220px 1fr;color:#1d2433}
nav{position:sticky;top:0;height:100vh;overflow:auto;background:#f3f5f9;padding:1rem;display:flex;flex-direction:column;gap:.3rem}
nav a{color:#1d4ed8;text-decoration:none}main{padding:1rem 2rem;max-width:1000px}
section{border-top:1px solid #e3e7ef;padding:.5rem 0}h3{font-size:1rem;margin:.3rem 0}
.m{display:inline-block;min-width:4.5em;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;padding:.1rem .3rem}
.get{background:#0f766e}.post{background:#1d4ed8}.put,.patch{background:#a16207}.delete{background:#b91c1c}
.perm{font-size:.75rem;background:#eef;border-radius:4px;padding:.1rem .4rem;margin-left:.5rem}
code{font-size:.9em;background:#eef1f6;border-radius:3px;padding:0 .2em}pre code{background:none;padding:0}
pre{background:#0f172a;color:#e2e8f0;padding:.7rem;border-radius:6px;overflow:auto;font-size:.8rem}
</style></head><body><nav aria-label="Sections"><strong>${esc(info.title)}</strong><small>v${esc(info.version)}</small><a href="/api/openapi.json">openapi.json</a>${nav}</nav>
<main><h1>${esc(info.title)}</h1><p>${inlineMarkdown(info.description)}</p>${sections}</main></body></html>`;
}
