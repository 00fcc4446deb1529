import { describe, expect, it, vi } from 'vitest';
import { nextIndex } from './index';

describe('component entry points', () => {
  it('index only exports; define registers every tag, and again is harmless', async () => {
    // the project's files share one window: another file may have defined the tags already, so watch `define` itself
    vi.resetModules();
    const define = vi.spyOn(customElements, 'define');
    const index = await import('./index');
    expect(index.FixpointPrompt).toBeTypeOf('function');
    expect(define).not.toHaveBeenCalled();
    define.mockRestore();
    const { defineCampaignElements } = await import('./define');
    for (const tag of ['prompt', 'question-single', 'question-multiple', 'question-scale', 'question-nps', 'question-text', 'question-info'])
      expect(customElements.get(`fixpoint-${tag}`), tag).toBeDefined();
    expect(() => defineCampaignElements()).not.toThrow();
  });

  it('moves through a group with arrows, Home and End, wrapping', () => {
    expect(nextIndex('ArrowRight', 4, 5)).toBe(0);
    expect(nextIndex('ArrowLeft', 0, 5)).toBe(4);
    expect(nextIndex('ArrowDown', 1, 5)).toBe(2);
    expect(nextIndex('ArrowUp', 1, 5)).toBe(0);
    expect(nextIndex('Home', 3, 5)).toBe(0);
    expect(nextIndex('End', 0, 5)).toBe(4);
    expect(nextIndex('Enter', 0, 5)).toBeNull();
    expect(nextIndex('ArrowRight', 0, 0)).toBeNull();
  });
});
