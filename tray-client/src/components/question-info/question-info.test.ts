import { afterEach, describe, expect, it } from 'vitest';
import { $, mount, rendered } from '../testing/fixture';

afterEach(() => document.body.replaceChildren());

describe('fixpoint-question-info', () => {
  it('renders the message as markup from the markdown subset', async () => {
    const el = await mount('fixpoint-question-info', { question: rendered('intro') });
    const text = $(el, '[role="note"]');
    expect(text.querySelector('strong')!.textContent).toBe('Ana');
    expect(text.querySelector('em')!.textContent).toBe('one minute');
    expect(text.querySelector('br')).not.toBeNull();
  });

  it('renders nothing without a question', async () => {
    const el = await mount('fixpoint-question-info');
    expect(el.shadowRoot!.querySelector('[role="note"]')).toBeNull();
  });
});
