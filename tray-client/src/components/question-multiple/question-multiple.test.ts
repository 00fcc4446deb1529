import { afterEach, describe, expect, it } from 'vitest';
import type { FixpointChangeDetail } from '../events';
import { $, $$, focused, mount, press, record, rendered } from '../testing/fixture';

afterEach(() => document.body.replaceChildren());

describe('fixpoint-question-multiple', () => {
  it('renders a labelled group of checkboxes, each a tab stop', async () => {
    const el = await mount('fixpoint-question-multiple', { question: rendered('why') });
    expect($(el, '[role="group"]').getAttribute('aria-labelledby')).toBe('text');
    const boxes = $$(el, '[role="checkbox"]');
    expect(boxes.map((b) => b.textContent!.trim())).toEqual(['It is slow', 'It crashes', 'Battery life']);
    expect(boxes.every((b) => b.getAttribute('tabindex') === '0')).toBe(true);
  });

  it('toggles with clicks and Space, keeping the order of the choices', async () => {
    const el = await mount('fixpoint-question-multiple', { question: rendered('why') });
    const changes = record<FixpointChangeDetail>(el, 'fixpoint-change');
    const boxes = () => $$(el, '[role="checkbox"]');
    boxes()[2]!.click();
    await el.updateComplete;
    press(boxes()[0]!, ' ');
    await el.updateComplete;
    expect(changes.map((c) => c.values)).toEqual([['battery'], ['slow', 'battery']]);
    expect(boxes().map((b) => b.getAttribute('aria-checked'))).toEqual(['true', 'false', 'true']);
    press(boxes()[2]!, ' ');
    await el.updateComplete;
    expect(changes.at(-1)!.values).toEqual(['slow']);
  });

  it('moves focus with arrow keys without toggling', async () => {
    const el = await mount('fixpoint-question-multiple', { question: rendered('why') });
    const changes = record<FixpointChangeDetail>(el, 'fixpoint-change');
    const boxes = $$(el, '[role="checkbox"]');
    boxes[0]!.focus();
    press(boxes[0]!, 'ArrowDown');
    expect(focused(el)).toBe(boxes[1]);
    press(boxes[1]!, 'End');
    expect(focused(el)).toBe(boxes[2]);
    press(boxes[2]!, 'ArrowDown');
    expect(focused(el)).toBe(boxes[0]);
    expect(changes).toEqual([]);
  });
});
