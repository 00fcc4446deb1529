import { afterEach, describe, expect, it } from 'vitest';
import type { FixpointChangeDetail } from '../events';
import { $, $$, focused, mount, press, record, rendered } from '../testing/fixture';

afterEach(() => document.body.replaceChildren());

describe('fixpoint-question-single', () => {
  it('renders a labelled radio group with one tab stop', async () => {
    const el = await mount('fixpoint-question-single', { question: rendered('satisfied') });
    const group = $(el, '[role="radiogroup"]');
    expect(group.getAttribute('aria-labelledby')).toBe('text');
    expect($(el, '#text').innerHTML).toContain('Are you satisfied with your computer?');
    const radios = $$(el, '[role="radio"]');
    expect(radios.map((r) => r.textContent!.trim())).toEqual(['Yes', 'No']);
    expect(radios.map((r) => r.getAttribute('tabindex'))).toEqual(['0', '-1']);
    expect(radios.map((r) => r.getAttribute('aria-checked'))).toEqual(['false', 'false']);
  });

  it('checks with a click and with Space, and emits the choice', async () => {
    const el = await mount('fixpoint-question-single', { question: rendered('satisfied') });
    const changes = record<FixpointChangeDetail>(el, 'fixpoint-change');
    $$(el, '[role="radio"]')[1]!.click();
    await el.updateComplete;
    expect(changes).toEqual([{ questionId: 'satisfied', values: ['no'] }]);
    expect($$(el, '[role="radio"]').map((r) => r.getAttribute('tabindex'))).toEqual(['-1', '0']);
    press($$(el, '[role="radio"]')[0]!, ' ');
    await el.updateComplete;
    expect(changes.at(-1)).toEqual({ questionId: 'satisfied', values: ['yes'] });
    expect($$(el, '[role="radio"]')[0]!.getAttribute('aria-checked')).toBe('true');
  });

  it('moves focus and the check with arrow keys, wrapping, and jumps with Home and End', async () => {
    const el = await mount('fixpoint-question-single', { question: rendered('satisfied'), value: ['yes'] });
    const changes = record<FixpointChangeDetail>(el, 'fixpoint-change');
    const radios = () => $$(el, '[role="radio"]');
    radios()[0]!.focus();
    press(radios()[0]!, 'ArrowDown');
    await el.updateComplete;
    expect(focused(el)).toBe(radios()[1]);
    expect(changes.at(-1)!.values).toEqual(['no']);
    press(radios()[1]!, 'ArrowRight');
    await el.updateComplete;
    expect(focused(el)).toBe(radios()[0]);
    press(radios()[0]!, 'ArrowUp');
    await el.updateComplete;
    expect(changes.at(-1)!.values).toEqual(['no']);
    press(radios()[1]!, 'Home');
    await el.updateComplete;
    expect(changes.at(-1)!.values).toEqual(['yes']);
    press(radios()[0]!, 'End');
    await el.updateComplete;
    expect(changes.at(-1)!.values).toEqual(['no']);
    press(radios()[1]!, 'a');
    expect(changes).toHaveLength(5);
  });

  it('marks itself invalid for assistive technology', async () => {
    const el = await mount('fixpoint-question-single', { question: rendered('satisfied'), invalid: true });
    expect($(el, '[role="radiogroup"]').getAttribute('aria-invalid')).toBe('true');
    expect(el.hasAttribute('invalid')).toBe(true);
  });
});
