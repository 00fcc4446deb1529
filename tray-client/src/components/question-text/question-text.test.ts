import { afterEach, describe, expect, it } from 'vitest';
import type { FixpointChangeDetail } from '../events';
import { $, mount, record, rendered } from '../testing/fixture';
import { characterCount } from './question-text';

afterEach(() => document.body.replaceChildren());

const type = (area: HTMLTextAreaElement, text: string) => {
  area.value = text;
  area.dispatchEvent(new Event('input', { bubbles: true }));
};

describe('fixpoint-question-text', () => {
  it('labels the text area, shows the placeholder and counts characters', async () => {
    const el = await mount('fixpoint-question-text', { question: rendered('details') });
    const area = $(el, 'textarea') as HTMLTextAreaElement;
    expect(area.getAttribute('aria-labelledby')).toBe('text');
    expect(area.getAttribute('aria-describedby')).toBe('counter');
    expect(area.getAttribute('aria-required')).toBe('false');
    expect(area.getAttribute('maxlength')).toBe('500');
    expect(area.placeholder).toBe('Tell us more');
    expect($(el, '#counter').textContent!.trim()).toBe('0 / 500');
  });

  it('emits the text as typed and updates the count', async () => {
    const el = await mount('fixpoint-question-text', { question: rendered('improve') });
    const changes = record<FixpointChangeDetail>(el, 'fixpoint-change');
    const area = $(el, 'textarea') as HTMLTextAreaElement;
    expect(area.getAttribute('aria-required')).toBe('true');
    type(area, 'More RAM 😀');
    await el.updateComplete;
    expect(changes).toEqual([{ questionId: 'improve', values: [], text: 'More RAM 😀' }]);
    expect($(el, '#counter').textContent!.trim()).toBe('10 / 200');
  });

  it('cuts text over the limit, counting code points as the backend does', async () => {
    const el = await mount('fixpoint-question-text', { question: rendered('improve') });
    const changes = record<FixpointChangeDetail>(el, 'fixpoint-change');
    type($(el, 'textarea') as HTMLTextAreaElement, 'x'.repeat(250));
    expect(characterCount(changes.at(-1)!.text!)).toBe(200);
    expect(characterCount('😀😀')).toBe(2);
  });
});
