/**
 * @module
 * The runtime messages a content script may send the background, as zod schemas. The background validates every
 * message: anything else (unknown type, extra fields, oversized values) is refused. Content scripts import the types
 * only, so zod stays out of their bundle.
 */
import { Id, ParameterValue } from '@fixpoint/protocol';
import { z } from 'zod';

const Short = z.string().trim().min(1).max(200);

/** What an adapter read from the page (no DOM references). */
export const PageFactsMessage = z.strictObject({ device: Short.optional(), user: Short.optional(), ticketId: z.string().trim().min(1).max(500).optional() });

export const ContentRequest = z.discriminatedUnion('type', [
  /** First message of a page: which site is this, and is the user signed in. */
  z.strictObject({ type: z.literal('hello') }),
  /** The adapter's reading of the page; the background keeps it as the tab's context for launches. */
  z.strictObject({ type: z.literal('page'), adapter: z.string().min(1).max(60), facts: PageFactsMessage }),
  z.strictObject({ type: z.literal('searchDevices'), query: Short }),
  z.strictObject({ type: z.literal('listActions'), deviceId: Id }),
  z.strictObject({ type: z.literal('getAction'), slug: z.string().min(1).max(100) }),
  z.strictObject({
    type: z.literal('launch'),
    action: z.string().min(1).max(100),
    deviceId: Id,
    parameters: z.record(z.string().max(64), ParameterValue).refine((p) => Object.keys(p).length <= 50, 'too many parameters'),
    /** The device name the panel looked up; it must still be what the tab's page shows. */
    pageDevice: Short.optional(),
  }),
  z.strictObject({ type: z.literal('getExecution'), id: Id }),
  z.strictObject({ type: z.literal('openOptions') }),
]);
export type ContentRequest = z.infer<typeof ContentRequest>;

/** The only message a live-status port accepts, once, right after it connects. */
export const WatchRequest = z.strictObject({ type: z.literal('watch'), requestId: Id });
export type WatchRequest = z.infer<typeof WatchRequest>;
export { watchPortName } from './watch-port-name';

/** Every answer to a content request. */
export type ContentResponse<T = unknown> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** What the background posts on a watch port. */
export type WatchMessage =
  | { type: 'update'; id: string; status: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'end' };
