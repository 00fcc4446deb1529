import { afterEach, describe, expect, it } from 'vitest';
import type { SelfServiceFix } from '@fixpoint/protocol';
import { $, $$, mount, record } from '../testing/fixture';
import type { FixpointRunDetail } from '../events';
import { selfServiceStrings, waitText } from './strings';

const fixes: SelfServiceFix[] = [
  { action: 'clear-cache', title: { en: 'Clear the browser cache', fr: 'Vider le cache' }, description: { en: 'Frees space.', fr: 'Libère de la place.' }, defaultLanguage: 'en' },
  { action: 'fix-printer', title: { en: 'Repair printing' }, description: { en: 'Restarts the print spooler.' }, defaultLanguage: 'en' },
];

afterEach(() => document.body.replaceChildren());

describe('fixpoint-self-service', () => {
  it('lists the fixes in the user’s language and opens one with its description', async () => {
    const el = await mount('fixpoint-self-service', { fixes, language: 'fr-CA' });
    const buttons = $$(el, 'ul button');
    expect(buttons.map((b) => b.querySelector('strong')!.textContent)).toEqual(['Vider le cache', 'Repair printing']);
    expect($(el, 'h1').textContent).toBe('Résoudre un problème');
    buttons[1]!.click();
    await el.updateComplete;
    expect($(el, 'h2').textContent).toBe('Repair printing');
    expect(el.shadowRoot!.textContent).toContain('Restarts the print spooler.');
    // the run button takes the focus, so the keyboard goes on from there
    expect(el.shadowRoot!.activeElement?.id).toBe('run');
  });

  it('asks to run the fix once and shows where the run stands', async () => {
    const el = await mount('fixpoint-self-service', { fixes, selected: 'clear-cache', language: 'en' });
    const runs = record<FixpointRunDetail>(el, 'fixpoint-run');
    $(el, '#run').click();
    await el.updateComplete;
    expect(runs).toEqual([{ action: 'clear-cache' }]);
    expect(($(el, '#run') as HTMLButtonElement).disabled).toBe(true);
    expect($(el, '[role=status]').textContent).toBe('Asking to run the fix…');
    el.run = { action: 'clear-cache', state: 'running' };
    await el.updateComplete;
    expect($(el, '[role=status]').textContent).toBe('The fix is running…');
    el.run = { action: 'clear-cache', state: 'failed', exitCode: 3 };
    await el.updateComplete;
    expect($(el, '[role=status]').textContent).toContain('code 3');
    expect(($(el, '#run') as HTMLButtonElement).disabled).toBe(false);
  });

  it('says why a run was refused and when it may run again', async () => {
    const el = await mount('fixpoint-self-service', { fixes, selected: 'clear-cache', language: 'en' });
    el.run = { action: 'clear-cache', state: 'refused', code: 'rate_limited', message: 'cooldown', retryAfterSec: 200 };
    await el.updateComplete;
    expect($(el, '[role=status]').textContent).toBe('This fix already ran on this computer recently. You can run it again in 4 min.');
    el.run = { action: 'clear-cache', state: 'refused', code: 'not_found', message: 'action clear-cache not found' };
    await el.updateComplete;
    expect($(el, '[role=status]').textContent).toBe('action clear-cache not found');
  });

  it('says so when no fix is offered, and words waits in minutes or hours', async () => {
    const el = await mount('fixpoint-self-service', { fixes: [], language: 'de' });
    expect(el.shadowRoot!.textContent).toContain('noch keine Lösungen');
    const s = selfServiceStrings('en');
    expect([waitText(s, 1), waitText(s, 61), waitText(s, 3 * 3600)]).toEqual(['1 min', '2 min', '3 h']);
  });
});
