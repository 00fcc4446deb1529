import { afterEach, describe, expect, it } from 'vitest';
import type { FixpointChangeDetail } from '../events';
import { $, $$, focused, mount, press, record, rendered } from '../testing/fixture';

afterEach(() => document.body.replaceChildren());

describe('fixpoint-question-scale', () => {
  it('shows the points from min to max with labelled ends', async () => {
    const el = await mount('fixpoint-question-scale', { question: rendered('rating') });
    expect($(el, '#text').textContent).toBe('Rate the restart by Friday');
    const radios = $$(el, '[role="radio"]');
    expect(radios.map((r) => r.textContent!.trim())).toEqual(['1', '2', '3', '4', '5']);
    expect(radios.map((r) => r.getAttribute('aria-label'))).toEqual(['1, Bad', '2', '3', '4', '5, Great']);
    expect($(el, '[role="radiogroup"]').getAttribute('aria-orientation')).toBe('horizontal');
    expect($(el, '.labels').textContent).toBe('BadGreat');
  });

  it('checks a point with the keyboard and emits it as text', async () => {
    const el = await mount('fixpoint-question-scale', { question: rendered('rating'), value: ['3'] });
    const changes = record<FixpointChangeDetail>(el, 'fixpoint-change');
    const radios = () => $$(el, '[role="radio"]');
    expect(radios().map((r) => r.getAttribute('tabindex'))).toEqual(['-1', '-1', '0', '-1', '-1']);
    press(radios()[2]!, 'ArrowRight');
    await el.updateComplete;
    expect(changes.at(-1)).toEqual({ questionId: 'rating', values: ['4'] });
    expect(focused(el)).toBe(radios()[3]);
    press(radios()[3]!, 'End');
    await el.updateComplete;
    expect(changes.at(-1)!.values).toEqual(['5']);
  });

  it('omits the label row without labels', async () => {
    const el = await mount('fixpoint-question-scale', { question: rendered('rating', { minLabel: undefined, maxLabel: undefined }) });
    expect(el.shadowRoot!.querySelector('.labels')).toBeNull();
  });
});
