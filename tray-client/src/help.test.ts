// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { TrayMessage } from '@fixpoint/protocol';
import { HelpDesk } from './help';
import { screenshotCommand, takeScreenshot } from './screenshot';

describe('help desk', () => {
  it('sends one help message per request and resolves with the agent’s answer', async () => {
    const sent: TrayMessage[] = [];
    const desk = new HelpDesk({ language: 'en', send: (m) => (sent.push(m), true), script: () => '', openWindow: async () => ({ closed: new Promise(() => {}), close() {} }) });
    const pending = desk.request({ subject: 'Mail', description: 'Outlook hangs' });
    const [message] = sent as Extract<TrayMessage, { type: 'help' }>[];
    expect(message).toMatchObject({ type: 'help', subject: 'Mail', description: 'Outlook hangs' });
    desk.handleResult({ type: 'help_result', localId: '00000000-0000-4000-8000-000000000000', id: '22222222-2222-4222-8222-222222222222' });
    desk.handleResult({ type: 'help_result', localId: message!.localId, id: '11111111-1111-4111-8111-111111111111' });
    expect(await pending).toMatchObject({ id: '11111111-1111-4111-8111-111111111111' });
  });

  it('fails at once without an agent and after its timeout without an answer', async () => {
    const offline = new HelpDesk({ language: 'en', send: () => false, script: () => '', openWindow: async () => ({ closed: Promise.resolve(), close() {} }) });
    expect(await offline.request({ subject: 'x', description: '' })).toMatchObject({ error: { message: expect.stringMatching(/agent is not running/) } });
    const silent = new HelpDesk({ language: 'en', send: () => true, script: () => '', openWindow: async () => ({ closed: Promise.resolve(), close() {} }), timeoutMs: 20 });
    expect(await silent.request({ subject: 'x', description: '' })).toMatchObject({ error: { message: expect.stringMatching(/did not answer in time/) } });
  });
});

describe('screenshots', () => {
  it('use the platform’s own tool, with fixed arguments, and say why where there is none', async () => {
    expect(screenshotCommand('linux', '/tmp/s.jpg')).toEqual({ file: 'import', args: ['-silent', '-window', 'root', '-resize', '1600x1600>', '-quality', '70', 'jpeg:/tmp/s.jpg'] });
    expect(screenshotCommand('darwin', '/tmp/s.jpg')!.file).toBe('/usr/sbin/screencapture');
    expect(screenshotCommand('win32', '/tmp/s.jpg')).toBeNull();
    expect(await takeScreenshot('win32')).toEqual({ ok: false, reason: 'this system has no screenshot tool Fixpoint can use' });
  });
});
