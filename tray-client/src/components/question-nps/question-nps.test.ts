import { afterEach, describe, expect, it } from 'vitest';
import type { FixpointChangeDetail } from '../events';
import { $, $$, mount, press, record, rendered } from '../testing/fixture';

afterEach(() => document.body.replaceChildren());

describe('fixpoint-question-nps', () => {
  it('offers 0 to 10 with the end labels read out', async () => {
    const el = await mount('fixpoint-question-nps', { question: rendered('nps') });
    const radios = $$(el, '[role="radio"]');
    expect(radios.map((r) => r.textContent!.trim())).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(radios[0]!.getAttribute('aria-label')).toBe('0, Not at all');
    expect(radios[10]!.getAttribute('aria-label')).toBe('10, Absolutely');
    expect($(el, '[role="radiogroup"]').getAttribute('aria-required')).toBe('true');
  });

  it('emits the score chosen by click or keyboard', async () => {
    const el = await mount('fixpoint-question-nps', { question: rendered('nps') });
    const changes = record<FixpointChangeDetail>(el, 'fixpoint-change');
    $$(el, '[role="radio"]')[9]!.click();
    await el.updateComplete;
    press($$(el, '[role="radio"]')[9]!, 'ArrowLeft');
    await el.updateComplete;
    press($$(el, '[role="radio"]')[8]!, 'Home');
    await el.updateComplete;
    expect(changes.map((c) => c.values[0])).toEqual(['9', '8', '0']);
  });
});
