/**
 * @module The "Get help" page, served like every tray page (`one-time-server.ts`) at `/h/<token>/`. `POST submit` takes what the user sends and answers with the request's id or the error;
 * `POST close` ends the window.
 */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { HelpDescription, HelpSubject, type HelpScreenshot, type TrayHelpResult } from '@fixpoint/protocol';
import { helpStrings } from '../components/help-form/strings';
import type { HelpPageData } from '../page/request-data';
import { readBody, send, serveOneTime } from './one-time-server';
import { page } from './page-server';

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
  let sent = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  const shot = options.screenshot;
  const data: HelpPageData = shot.ok
    ? { kind: 'help', language: options.language, screenshot: `data:${shot.screenshot.mediaType};base64,${shot.screenshot.data}` }
    : { kind: 'help', language: options.language, screenshotUnavailable: shot.reason };
  const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json', JSON.stringify(body));

  const server = await serveOneTime({
    kind: 'h',
    html: page(helpStrings(options.language).title, options.language, data, options.script),
    script: options.script,
    onClose: resolveClosed,
    async handle(req, res, rest) {
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
    },
  });
  return { url: server.url, closed, close: () => server.close() };
}
