import type { z } from 'zod';
import { utf8Length } from './text';

/** A decoded message, or why it was refused (code and message ready for a protocol error). */
export type DecodedMessage<T> =
  | { ok: true; message: T; json: unknown }
  | { ok: false; code: 'payload_too_large' | 'protocol_error'; message: string };

/**
 * Decodes one JSON message (a channel frame, an IPC line) against a schema: size first, then JSON, then the schema.
 * `json` is the value as decoded, before schema defaults. Never throws. `schema` may be a function of the decoded
 * value that picks the schema, such as a union's member by its tag.
 */
export function decodeMessage<T>(schema: z.ZodType<T> | ((json: unknown) => z.ZodType<T>), text: string, maxBytes: number): DecodedMessage<T> {
  const fail = (code: 'payload_too_large' | 'protocol_error', message: string) => ({ ok: false as const, code, message: message.slice(0, 2000) });
  // Cheap check first: a text of n UTF-16 units holds at least n bytes.
  if (text.length > maxBytes || utf8Length(text) > maxBytes) return fail('payload_too_large', `a message is limited to ${maxBytes} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('protocol_error', 'the message is not valid JSON');
  }
  const parsed = (typeof schema === 'function' ? schema(json) : schema).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return fail('protocol_error', `invalid message${where}: ${issue?.message ?? 'unknown problem'}`);
  }
  return { ok: true, message: parsed.data, json };
}
