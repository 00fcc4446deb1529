/** @module Webhook secrets and the `X-Fixpoint-Signature` header, shared by the sender and by receivers (and tests). */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of webhook secrets, so a leaked one is recognisable (and secret scanners can match it). */
const webhookSecretPrefix = 'whsec_';

export function newWebhookSecret(): string {
  return webhookSecretPrefix + randomBytes(32).toString('base64url');
}

const hmacHex = (secret: string, timestamp: number, rawBody: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');

/** The header value for one POST: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export function signWebhookBody(secret: string, rawBody: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${hmacHex(secret, t, rawBody)}`;
}

/**
 * Checks an `X-Fixpoint-Signature` header against the raw request body, as a receiver should: the HMAC must match
 * (compared in constant time) and the timestamp must lie within `toleranceSec` of `nowMs`, which stops replays
 * of captured requests. Several `v1=` entries are allowed; one match is enough.
 *
 * @example
 * const ok = verifyWebhookSignature(process.env.FIXPOINT_WEBHOOK_SECRET, req.headers['x-fixpoint-signature'], rawBody);
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string,
  toleranceSec = 300,
  nowMs = Date.now(),
): boolean {
  if (!header || header.length > 4096) return false;
  let t: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (t === undefined || candidates.length === 0) return false;
  if (Math.abs(nowMs / 1000 - t) > toleranceSec) return false;
  const expected = Buffer.from(hmacHex(secret, t, rawBody), 'hex');
  return candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
}
