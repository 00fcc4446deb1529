import { afterEach, describe, expect, it } from 'vitest';
import { sampleCampaign } from '@fixpoint/protocol/testing';
import { formatCountdown, inCountdown, postponeOffered } from './deadline';
import { $, $$, mount, settle } from '../testing/fixture';

afterEach(() => document.body.replaceChildren());

const now = Date.parse('2026-03-02T09:00:00Z');
const deadline = (secondsLeft: number, postponesLeft: number | null = 2) => ({
  at: new Date(now + secondsLeft * 1000).toISOString(),
  countdownSec: 120,
  postponesLeft,
});

describe('fixpoint-deadline', () => {
  it('shows the postpones left and when it goes ahead, then a countdown', async () => {
    const el = await mount('fixpoint-deadline', { deadline: deadline(3600), language: 'en', now: () => now });
    expect($(el, '.postpones').textContent).toBe('Postpones left: 2.');
    expect($(el, '.when').textContent).toMatch(/^This goes ahead at .+ at the latest\.$/);
    expect(el.shadowRoot!.querySelector('[role="timer"]')).toBeNull();
    el.deadline = deadline(95, 0);
    await settle(el);
    expect($(el, '.postpones').textContent).toBe('You cannot postpone this any more.');
    expect($(el, '[role="timer"]').textContent).toBe('Going ahead in 1:35');
  });

  it('speaks the campaign’s language and hides the count without a limit', async () => {
    const el = await mount('fixpoint-deadline', { deadline: deadline(30, null), language: 'fr-CA', now: () => now });
    expect(el.shadowRoot!.querySelector('.postpones')).toBeNull();
    expect($(el, '.countdown').textContent).toBe('Lancement dans 0:30');
  });

  it('withholds the postpone once none are left or the countdown began', () => {
    expect(postponeOffered(undefined, now)).toBe(true);
    expect(postponeOffered(deadline(3600), now)).toBe(true);
    expect(postponeOffered(deadline(3600, null), now)).toBe(true);
    expect(postponeOffered(deadline(3600, 0), now)).toBe(false);
    expect(postponeOffered(deadline(60), now)).toBe(false);
    expect(inCountdown(deadline(121), now)).toBe(false);
    expect(formatCountdown(61_001)).toBe('1:02');
    expect(formatCountdown(-5)).toBe('0:00');
  });

  it('leaves Remind me later out of the prompt when no postpone is left', async () => {
    const buttons = async (d: ReturnType<typeof deadline>) => {
      const el = await mount('fixpoint-prompt', { campaign: sampleCampaign(), parameters: { deadline: 'Friday' }, user: 'Ana', requestId: 'r', deadline: d });
      await settle(el);
      const labels = $$(el, 'button').map((b) => b.textContent!.trim());
      const box = el.shadowRoot!.querySelector('fixpoint-deadline');
      el.remove();
      return { labels, box };
    };
    const later = new Date(Date.now() + 3600_000).toISOString();
    expect((await buttons({ at: later, countdownSec: 120, postponesLeft: 1 })).labels).toContain('Remind me later');
    const none = await buttons({ at: later, countdownSec: 120, postponesLeft: 0 });
    expect(none.labels).not.toContain('Remind me later');
    expect(none.box).not.toBeNull();
  });
});
