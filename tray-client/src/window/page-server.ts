/**
 * @module The prompt page, served for one prompt like every tray page (`one-time-server.ts`):
 * `http://127.0.0.1:<port>/p/<token>/`. The page loads once; the answer is accepted once, after which the path
 * serves nothing.
 *
 * The page is one response: the script and the prompt's data are inline, so the prompt renders without another round
 * trip. The CSP admits exactly that script, by its hash; the data is a `application/json` block, which never runs.
 */
import { z } from 'zod';
import { AnswersSchema, FreeTextSchema, LanguageCode, Timestamp, type PromptRequest } from '@fixpoint/protocol';
import { requestDataId, type HelpPageData, type PageData } from '../page/request-data';
import { pageHtml, readBody, send, serveOneTime } from './one-time-server';

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

/** The page of a prompt or of the help form: the data block and the script inline. */
export function page(title: string, lang: string, data: PageData | HelpPageData, script: string): string {
  const style = 'html,body{margin:0;background:#f8fafc;font:15px/1.45 system-ui,sans-serif}fixpoint-prompt{display:block;margin:0 auto;max-width:560px}';
  return pageHtml({ title, lang, dataId: requestDataId, data, script, style });
}

/** Starts the page server for one prompt. */
export async function servePromptPage(options: PromptPageOptions): Promise<PromptPage> {
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
  const server = await serveOneTime({
    kind: 'p',
    html: page(request.rendered.branding.title || request.rendered.name, request.rendered.language, data, options.script),
    script: options.script,
    open: () => !done,
    onClose: () => (done = true),
    async handle(req, res, rest) {
      if (req.method !== 'POST' || rest !== 'answer') return send(res, 404, 'text/plain', 'not found');
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
    },
  });
  return {
    url: server.url,
    answered,
    get loaded() {
      return server.loaded;
    },
    close: () => server.close(),
  };
}
