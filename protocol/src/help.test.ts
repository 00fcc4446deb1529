import { describe, expect, it } from 'vitest';
import { helpLimits, parseAgentMessage, parseAgentToTrayMessage, parseTrayMessage, webhookEventData, webhookEvents } from './index';

const localId = '0f0f0f0f-0000-4000-8000-000000000001';
const help = { type: 'help', localId, subject: 'VPN', description: 'drops every hour' };

describe('help messages', () => {
  it('parse on the tray socket and the channel, screenshot optional', () => {
    expect(parseTrayMessage(JSON.stringify(help)).ok).toBe(true);
    expect(parseTrayMessage(JSON.stringify({ ...help, screenshot: { mediaType: 'image/png', data: 'iVBORw0KGgo=' } })).ok).toBe(true);
    expect(parseAgentMessage(JSON.stringify({ ...help, type: 'help_request', user: 'ana' })).ok).toBe(true);
    expect(parseAgentToTrayMessage(JSON.stringify({ type: 'help_result', localId, id: localId })).ok).toBe(true);
  });

  it('refuse a blank or long subject, a screenshot past the limit or of another type, and a request without its user', () => {
    const refused = (m: object) => {
      const r = parseTrayMessage(JSON.stringify(m));
      return r.ok ? null : r.error.message;
    };
    expect(refused({ ...help, subject: '  ' })).toMatch(/give a subject/);
    expect(refused({ ...help, subject: 'x'.repeat(helpLimits.maxSubjectLength + 1) })).toMatch(/limited to 200/);
    const big = 'A'.repeat((Math.ceil(helpLimits.maxScreenshotBytes / 3) + 1) * 4);
    expect(refused({ ...help, screenshot: { mediaType: 'image/png', data: big } })).toMatch(/limited to 1024 KB/);
    expect(refused({ ...help, screenshot: { mediaType: 'image/svg+xml', data: 'PHN2Zz4=' } })).not.toBeNull();
    expect(parseAgentMessage(JSON.stringify({ ...help, type: 'help_request' })).ok).toBe(false);
  });

  it('makes help.requested a documented webhook event', () => {
    expect(webhookEvents).toContain('help.requested');
    expect(webhookEventData['help.requested']).toBeDefined();
  });
});
