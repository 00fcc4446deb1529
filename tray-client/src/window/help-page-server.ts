/**
 * @module The "Get help" page, served like the prompt page (`page-server.ts`): 127.0.0.1, a random port and a one-time
 * path, the same CSP. `POST submit` takes what the user sends and answers with the request's id or the error;
 * `POST close` ends the window.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { HelpDescription, HelpSubject, type HelpScreenshot, type TrayHelpResult } from '@fixpoint/protocol';
import { helpStrings } from '../components/help-form/strings';
import type { HelpPageData } from '../page/request-data';
import { contentSecurityPolicy, page, readBody, scriptHash } from './page-server';

/** What the form posts. */
export const HelpSubmission = z.strictObject({ subject: HelpSubject, description: HelpDescription, includeScreenshot: z.boolean() });
export type HelpSubmission = z.infer<typeof HelpSubmission>;

export interface HelpPageOptions {
  language: string;
  /** The screenshot taken as the form opened, or why there is none. */
  screenshot: { ok: true; screenshot: HelpScreenshot } | { ok: false; reason: string };
  script: string;
  /** Sends the request through the agent; the screenshot is attached only when the user ticked it. */
  submit(input: { subject: string; description: string; screenshot?: HelpScreenshot }): Promise<TrayHelpResult>;
}

export interface HelpPage {
  url: string;
  /** Resolves when the user cancels or closes the form. */
  closed: Promise<void>;
  close(): void;
}

export async function serveHelpPage(options: HelpPageOptions): Promise<HelpPage> {
  const token = randomBytes(24).toString('base64url');
  const prefix = `/h/${token}/`;
  let loaded = false;
  let done = false;
  let sent = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  const shot = options.screenshot;
  const data: HelpPageData = shot.ok
    ? { kind: 'help', language: options.language, screenshot: `data:${shot.screenshot.mediaType};base64,${shot.screenshot.data}` }
    : { kind: 'help', language: options.language, screenshotUnavailable: shot.reason };
  const html = page(helpStrings(options.language).title, options.language, data, options.script);
  const pageCsp = contentSecurityPolicy(scriptHash(options.script));

  const send = (res: ServerResponse, status: number, type: string, body = '', csp = contentSecurityPolicy()) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json', JSON.stringify(body));

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
      if (req.method !== 'POST' || !(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 404, 'text/plain', 'not found');
      const body = await readBody(req);
      if (rest === 'close') {
        send(res, 204, 'text/plain');
        return resolveClosed();
      }
      if (rest !== 'submit') return send(res, 404, 'text/plain', 'not found');
      if (sent) return json(res, 409, { error: { code: 'conflict', message: 'this request was sent already' } });
      if (body === 'too_large') return json(res, 413, { error: { code: 'payload_too_large', message: 'too large' } });
      let parsed;
      try {
        parsed = HelpSubmission.safeParse(body === null ? null : JSON.parse(body));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) return json(res, 400, { error: { code: 'validation_failed', message: parsed?.error.issues[0]?.message ?? 'not a help request' } });
      const { subject, description, includeScreenshot } = parsed.data;
      const result = await options.submit({ subject, description, ...(includeScreenshot && shot.ok ? { screenshot: shot.screenshot } : {}) });
      if (result.id) {
        sent = true;
        return json(res, 200, { id: result.id });
      }
      return json(res, 502, { error: result.error ?? { code: 'internal', message: 'no answer' } });
    })().catch(() => send(res, 500, 'text/plain'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    closed,
    close: () => {
      done = true;
      resolveClosed();
      server.closeAllConnections();
      server.close();
    },
  };
}
