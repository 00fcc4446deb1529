import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, defaultBackoffScheduleMs } from './backoff';
import { newWebhookSecret, signWebhookBody, verifyWebhookSignature } from './signature';

describe('webhook signatures', () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({ id: 'x', event: 'execution.succeeded', data: { n: 1 } });
  const at = new Date('2030-01-01T00:00:00Z');
  const now = at.getTime();

  it('makes distinct whsec_ secrets', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs "<t>.<body>" with HMAC-SHA256 and verifies it', () => {
    const header = signWebhookBody(secret, body, at);
    const t = Math.floor(now / 1000);
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`);
    expect(verifyWebhookSignature(secret, header, body, 300, now)).toBe(true);
  });

  it('rejects a tampered body, a wrong secret, and a stale or future timestamp', () => {
    const header = signWebhookBody(secret, body, at);
    expect(verifyWebhookSignature(secret, header, body.replace('"n":1', '"n":2'), 300, now)).toBe(false);
    expect(verifyWebhookSignature(newWebhookSecret(), header, body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, 300, now + 301_000)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, 300, now - 301_000)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, 300, now + 299_000)).toBe(true);
  });

  it('rejects malformed headers without throwing', () => {
    for (const header of [undefined, null, '', 'garbage', 't=,v1=', `t=${now / 1000}`, 'v1=' + 'a'.repeat(64), `t=abc,v1=${'a'.repeat(64)}`, 'x'.repeat(5000)])
      expect(verifyWebhookSignature(secret, header, body, 300, now)).toBe(false);
    const [t, v1] = signWebhookBody(secret, body, at).split(',');
    expect(verifyWebhookSignature(secret, `${t},${v1!.slice(0, 20)}`, body, 300, now)).toBe(false);
  });

  it('accepts a header carrying several v1 values when one matches', () => {
    const [t, v1] = signWebhookBody(secret, body, at).split(',');
    expect(verifyWebhookSignature(secret, `${t},v1=${'0'.repeat(64)},${v1}`, body, 300, now)).toBe(true);
  });
});

describe('backoff', () => {
  it('follows the schedule with ±20 % jitter and repeats the last step', () => {
    expect(backoffDelayMs(1, defaultBackoffScheduleMs, () => 0.5)).toBe(10_000);
    expect(backoffDelayMs(1, defaultBackoffScheduleMs, () => 0)).toBe(8_000);
    expect(backoffDelayMs(2, defaultBackoffScheduleMs, () => 0.999999)).toBeCloseTo(36_000, -1);
    expect(backoffDelayMs(3, defaultBackoffScheduleMs, () => 0.5)).toBe(120_000);
    expect(backoffDelayMs(50, defaultBackoffScheduleMs, () => 0.5)).toBe(12 * 3600_000);
    const a = backoffDelayMs(4);
    expect(a).toBeGreaterThanOrEqual(480_000);
    expect(a).toBeLessThanOrEqual(720_000);
  });
});
