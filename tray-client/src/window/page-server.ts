/**
 * @module The prompt page, served for one prompt on 127.0.0.1 at a random port under a random one-time path:
 * `http://127.0.0.1:<port>/p/<token>/`. The page loads once; the answer is accepted once, after which the path
 * serves nothing. Requests naming another host (DNS rebinding) or another path get 404.
 *
 * The page is one response: the script and the prompt's data are inline, so the prompt renders without another round
 * trip. The CSP admits exactly that script, by its hash; the data is a `application/json` block, which never runs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { AnswersSchema, FreeTextSchema, LanguageCode, Timestamp, type PromptRequest } from '@fixpoint/protocol';
import { requestDataId, type HelpPageData, type PageData } from '../page/request-data';

/** What the page posts: the `fixpoint-answer` event's detail. */
export const PageAnswer = z.object({
  requestId: z.string().nullable(),
  state: z.enum(['fully', 'declined', 'postponed']),
  answers: AnswersSchema,
  freeText: FreeTextSchema,
  language: LanguageCode.optional(),
  respondedAt: Timestamp,
});
export type PageAnswer = z.infer<typeof PageAnswer>;

export interface PromptPageOptions {
  request: PromptRequest;
  /** The user's display name, for `{user}`. */
  user: string;
  /** The page script (the bundled prompt components). */
  script: string;
}

export interface PromptPage {
  url: string;
  /** Resolves with the user's answer. */
  answered: Promise<PageAnswer>;
  /** True once the page has been loaded. */
  readonly loaded: boolean;
  close(): void;
}

const maxBody = 1024 * 1024;

/** The CSP of every response: no script but the page's own (by hash), no requests but to this server. */
export function contentSecurityPolicy(scriptHash = "'none'"): string {
  return `default-src 'none'; script-src ${scriptHash}; style-src 'self' 'unsafe-inline'; img-src data: https:; connect-src 'self'; base-uri 'none'; form-action 'none'`;
}

let hashed: { script: string; hash: string } | null = null;
/** The CSP source of an inline script (the page script is the same for every prompt: hashed once). */
export function scriptHash(script: string): string {
  if (hashed?.script !== script) hashed = { script, hash: `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'` };
  return hashed.hash;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON that can sit in a `<script>` element: no `<`, so no `</script>` or `<!--` inside. */
const scriptSafeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The page: the data block and the script inline, nothing else to load. */
export function page(title: string, lang: string, data: PageData | HelpPageData, script: string): string {
  if (/<\/script|<!--/i.test(script)) throw new Error('the page script cannot be inlined: it contains </script or <!--');
  return `<!doctype html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title>
<style>html,body{margin:0;background:#f8fafc;font:15px/1.45 system-ui,sans-serif}fixpoint-prompt{display:block;margin:0 auto;max-width:560px}</style>
</head><body><script type="application/json" id="${requestDataId}">${scriptSafeJson(data)}</script><script type="module">${script}</script></body></html>`;
}

/** The body as text; 'too_large' past `maxBody` (the rest is read and dropped, so the reply still arrives). */
export function readBody(req: IncomingMessage): Promise<string | null | 'too_large'> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBody) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > maxBody ? 'too_large' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

/** Starts the page server for one prompt. */
export async function servePromptPage(options: PromptPageOptions): Promise<PromptPage> {
  const token = randomBytes(24).toString('base64url');
  const prefix = `/p/${token}/`;
  let loaded = false;
  let done = false;
  let resolveAnswer!: (a: PageAnswer) => void;
  const answered = new Promise<PageAnswer>((r) => (resolveAnswer = r));
  const { request, user } = options;
  const data: PageData = {
    requestId: request.requestId,
    campaign: request.campaign,
    parameters: request.parameters,
    user,
    language: request.rendered.language,
    ...(request.deadline ? { deadline: request.deadline } : {}),
  };
  const html = page(request.rendered.branding.title || request.rendered.name, request.rendered.language, data, options.script);
  const pageCsp = contentSecurityPolicy(scriptHash(options.script));

  const send = (res: ServerResponse, status: number, type: string, body = '', csp = contentSecurityPolicy()) => {
    res.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(body);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const port = (server.address() as AddressInfo).port;
      const path = (req.url ?? '').split('?')[0]!;
      if (done || req.headers.host !== `127.0.0.1:${port}` || !path.startsWith(prefix)) return send(res, 404, 'text/plain', 'not found');
      const rest = path.slice(prefix.length);
      if (req.method === 'GET' && rest === '' && !loaded) {
        loaded = true;
        return send(res, 200, 'text/html; charset=utf-8', html, pageCsp);
      }
      if (req.method === 'POST' && rest === 'answer') {
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'text/plain', 'use application/json');
        const body = await readBody(req);
        if (body === 'too_large') return send(res, 413, 'text/plain', 'too large');
        let json: unknown = null;
        try {
          json = body === null ? null : JSON.parse(body);
        } catch {
          json = null;
        }
        const parsed = PageAnswer.safeParse(json);
        if (!parsed.success || parsed.data.requestId !== request.requestId) return send(res, 400, 'text/plain', 'not an answer to this prompt');
        done = true;
        send(res, 204, 'text/plain');
        resolveAnswer(parsed.data);
        return;
      }
      send(res, 404, 'text/plain', 'not found');
    })().catch(() => send(res, 500, 'text/plain'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    answered,
    get loaded() {
      return loaded;
    },
    close: () => {
      done = true;
      server.closeAllConnections();
      server.close();
    },
  };
}
