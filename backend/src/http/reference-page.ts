/** A self-contained, human-readable API reference rendered from the OpenAPI document (no CDN, no script). */
const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderReferencePage(doc: Record<string, unknown>): string {
  const info = doc.info as { title: string; version: string; description: string };
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
      const entry = `<section id="${esc(op.operationId)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code> ${permission}</h3><p>${esc(op.summary)}</p>${params ? `<p>${params}</p>` : ''}${body}${response}</section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), entry]);
    }
  }
  const nav = [...byTag.keys()].map((t) => `<a href="#tag-${esc(t)}">${esc(t)}</a>`).join('');
  const sections = [...byTag].map(([t, entries]) => `<h2 id="tag-${esc(t)}">${esc(t)}</h2>${entries.join('')}`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(info.title)} reference</title><style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;display:grid;grid-template-columns:220px 1fr;color:#1d2433}
nav{position:sticky;top:0;height:100vh;overflow:auto;background:#f3f5f9;padding:1rem;display:flex;flex-direction:column;gap:.3rem}
nav a{color:#1d4ed8;text-decoration:none}main{padding:1rem 2rem;max-width:1000px}
section{border-top:1px solid #e3e7ef;padding:.5rem 0}h3{font-size:1rem;margin:.3rem 0}
.m{display:inline-block;min-width:4.5em;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;padding:.1rem .3rem}
.get{background:#0f766e}.post{background:#1d4ed8}.put,.patch{background:#a16207}.delete{background:#b91c1c}
.perm{font-size:.75rem;background:#eef;border-radius:4px;padding:.1rem .4rem;margin-left:.5rem}
pre{background:#0f172a;color:#e2e8f0;padding:.7rem;border-radius:6px;overflow:auto;font-size:.8rem}
</style></head><body><nav aria-label="Sections"><strong>${esc(info.title)}</strong><small>v${esc(info.version)}</small><a href="/api/openapi.json">openapi.json</a>${nav}</nav>
<main><h1>${esc(info.title)}</h1><p>${esc(info.description)}</p>${sections}</main></body></html>`;
}
