import { afterEach, describe, expect, it } from 'vitest';
import { sampleCampaign } from '@fixpoint/protocol/testing';
import type { FixpointAnswerDetail } from '../events';
import type { FixpointPrompt } from './prompt';
import { styles as promptStyles } from './prompt.styles';
import { questionStyles } from '../shared/question.styles';
import { $, $$, mount, press, record, settle } from '../testing/fixture';

afterEach(() => document.body.replaceChildren());

const open = async (overrides: Record<string, unknown> = {}, props: Partial<FixpointPrompt> = {}) => {
  const el = await mount('fixpoint-prompt', {
    campaign: sampleCampaign(overrides as never),
    parameters: { deadline: 'Friday' },
    user: 'Ana',
    requestId: 'req-1',
    ...props,
  });
  await settle(el);
  return el;
};
const current = (el: Element) => el.shadowRoot!.querySelector('.body > :not(.step):not(.error)')!;
const step = async (el: Element, button: string) => {
  $(el, `button.${button}`).click();
  await settle(el);
};
/** Chooses an option of the current radio or checkbox question, by its visible label. */
const choose = async (el: Element, label: string) => {
  const q = current(el);
  const option = [...q.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"], [role="checkbox"]')].find((o) => o.textContent!.trim() === label)!;
  press(option, ' ');
  await settle(el);
};
const typeText = async (el: Element, text: string) => {
  const area = current(el).shadowRoot!.querySelector('textarea')!;
  area.value = text;
  area.dispatchEvent(new Event('input', { bubbles: true }));
  await settle(el);
};

describe('fixpoint-prompt', () => {
  it('shows the branding, the first step and the allowed buttons', async () => {
    const el = await open({ urgency: 'urgent', branding: { title: { en: 'IT' }, logoUrl: 'https://it.test/logo.png', accentColor: '#aa0000' } });
    expect($(el, 'h1').textContent).toBe('IT');
    expect($(el, 'img').getAttribute('src')).toBe('https://it.test/logo.png');
    expect($(el, 'img').getAttribute('alt')).toBe('');
    expect($(el, 'section').getAttribute('style')).toContain('--fixpoint-accent: #aa0000');
    expect($(el, 'section').getAttribute('aria-labelledby')).toBe('title');
    expect($(el, '.urgent').textContent).toBe('Urgent');
    expect(current(el).tagName).toBe('FIXPOINT-QUESTION-INFO');
    expect($$(el, 'button').map((b) => b.textContent!.trim())).toEqual(['No thanks', 'Remind me later', 'Next']);
  });

  it('follows the branching one question at a time and emits the full response', async () => {
    const el = await open();
    const answers = record<FixpointAnswerDetail>(el, 'fixpoint-answer');
    await step(el, 'next');
    expect(current(el).tagName).toBe('FIXPOINT-QUESTION-SINGLE');
    expect(el.shadowRoot!.activeElement).toBe($(el, '.step'));
    expect($(el, '.step').textContent).toBe('Step 2');
    await choose(el, 'Yes');
    await step(el, 'next');
    expect(current(el).tagName).toBe('FIXPOINT-QUESTION-NPS');
    await choose(el, '10');
    // a promoter goes straight to the end
    expect($(el, 'button.next').textContent!.trim()).toBe('Finish');
    await step(el, 'next');
    expect(answers).toEqual([
      {
        requestId: 'req-1',
        state: 'fully',
        answers: { satisfied: ['yes'], nps: ['10'] },
        freeText: {},
        user: 'Ana',
        language: 'en',
        respondedAt: expect.any(String),
      },
    ]);
    expect($(el, '[part="final"]').innerHTML).toContain('Thank you, Ana!');
    expect(el.shadowRoot!.querySelector('nav')).toBeNull();
  });

  it('asks for an answer before moving on, and validates free text', async () => {
    const el = await open();
    await step(el, 'next');
    await step(el, 'next');
    expect($(el, '.error').textContent).toBe('Please answer this question to continue.');
    expect($(el, '.error').getAttribute('role')).toBe('alert');
    expect(current(el).hasAttribute('invalid')).toBe(true);
    await choose(el, 'No');
    expect($(el, '.error').textContent).toBe('');
    await step(el, 'next');
    await step(el, 'next'); // multiple, nothing chosen
    expect($(el, '.error').textContent).not.toBe('');
    await choose(el, 'It is slow');
    await step(el, 'next');
    expect(current(el).tagName).toBe('FIXPOINT-QUESTION-TEXT');
    // optional: moving on with nothing typed is fine
    await step(el, 'next');
    expect(current(el).tagName).toBe('FIXPOINT-QUESTION-NPS');
  });

  it('goes back, and leaves out answers the new branch skips', async () => {
    const el = await open();
    const answers = record<FixpointAnswerDetail>(el, 'fixpoint-answer');
    await step(el, 'next');
    await choose(el, 'No');
    await step(el, 'next');
    await choose(el, 'It crashes');
    await step(el, 'next');
    await typeText(el, 'Blue screens');
    await step(el, 'back');
    await step(el, 'back');
    expect(current(el).tagName).toBe('FIXPOINT-QUESTION-SINGLE');
    expect((current(el) as any).value).toEqual(['no']);
    await choose(el, 'Yes');
    await step(el, 'next');
    await choose(el, '3');
    await step(el, 'next');
    expect(current(el).tagName).toBe('FIXPOINT-QUESTION-TEXT');
    await typeText(el, 'Answer faster');
    await step(el, 'next');
    await choose(el, '5');
    await step(el, 'next');
    expect(answers[0]).toMatchObject({ state: 'fully', answers: { satisfied: ['yes'], nps: ['3'], rating: ['5'] }, freeText: { improve: 'Answer faster' } });
  });

  it('postpones and declines with the answers so far', async () => {
    const el = await open();
    const answers = record<FixpointAnswerDetail>(el, 'fixpoint-answer');
    await step(el, 'next');
    await choose(el, 'No');
    await step(el, 'next');
    await step(el, 'postpone');
    expect(answers[0]).toMatchObject({ state: 'postponed', answers: { satisfied: ['no'] }, freeText: {} });
    expect(el.shadowRoot!.querySelector('.body')).toBeNull();
    const again = await open();
    const declined = record<FixpointAnswerDetail>(again, 'fixpoint-answer');
    await step(again, 'decline');
    expect(declined[0]).toMatchObject({ state: 'declined', answers: {} });
  });

  it('offers no postpone or decline on a mandatory campaign', async () => {
    const el = await open({ mandatory: true, allowPostpone: false, allowDecline: false });
    expect($$(el, 'button').map((b) => b.className)).toEqual(['primary next']);
    const notAllowed = await open({ allowPostpone: false, allowDecline: true });
    expect($$(notAllowed, 'button').map((b) => b.className)).toEqual(['decline', 'primary next']);
  });

  it('speaks the requested language, falling back to the default', async () => {
    const el = await open({}, { language: 'fr' });
    expect($(el, 'h1').textContent).toBe('Service informatique');
    expect(current(el).shadowRoot!.innerHTML).toContain('Bonjour <strong>Ana</strong>.');
    expect($(el, 'button.next').textContent!.trim()).toBe('Suivant');
    await step(el, 'next');
    await choose(el, 'Non');
    await step(el, 'next');
    expect(current(el).shadowRoot!.textContent).toContain('What is wrong?');
  });

  it('refuses to show a malformed campaign', async () => {
    const el = await open({ questions: [{ id: 'a', type: 'info', text: { en: 'x' }, next: 'a' }] });
    expect($(el, '[role="alert"]').textContent).toMatch(/cannot be shown.*branches back/);
    expect(el.shadowRoot!.querySelector('nav')).toBeNull();
  });

  it('can be used with the keyboard alone: every control is a tab stop or a button', async () => {
    const el = await open();
    await step(el, 'next');
    const q = current(el);
    const stops = [...q.shadowRoot!.querySelectorAll('[tabindex="0"]')];
    expect(stops).toHaveLength(1);
    expect($$(el, 'nav > *').filter((n) => n.tagName === 'BUTTON')).toHaveLength(4);
    expect($$(el, 'button').every((b) => b.getAttribute('tabindex') !== '-1')).toBe(true);
  });

  it('turns motion off when the user prefers less of it', () => {
    expect(promptStyles.map((s) => s.cssText).join('\n')).toMatch(/@media \(prefers-reduced-motion: reduce\)[\s\S]*animation: none/);
    expect(questionStyles.cssText).toMatch(/@media \(prefers-reduced-motion: reduce\)[\s\S]*transition: none/);
    expect(questionStyles.cssText).toContain(':focus-visible');
  });
});

describe('hostile campaign text', () => {
  const hostile = [
    '<script>window.pwned = 1</script>',
    '<img src=x onerror="window.pwned = 1">',
    '[click](javascript:window.pwned=1)',
    '![x](https://evil.test/x.png)',
    '<iframe src="https://evil.test"></iframe>',
    '[ok](https://ok.test) {{device}} {user}',
  ].join('\n\n');

  /** Every element rendered anywhere under `root`, shadow roots included. */
  const everything = (root: ParentNode): Element[] =>
    [...root.querySelectorAll('*')].flatMap((e) => [e, ...(e.shadowRoot ? everything(e.shadowRoot) : [])]);

  it('renders inert, with parameters and the user name as text', async () => {
    const el = await open(
      { questions: [{ id: 'intro', type: 'info', text: { en: hostile } }], finalMessage: { en: hostile } },
      { parameters: { deadline: 'x', device: '<img src=y onerror="window.pwned=2">' }, user: '<script>alert(1)</script>' },
    );
    const all = everything(el.shadowRoot!);
    expect(all.filter((e) => ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(e.tagName))).toEqual([]);
    // the one image is the (absent) logo's; none comes from the text
    expect(all.filter((e) => e.tagName === 'IMG')).toEqual([]);
    expect(all.filter((e) => [...e.attributes].some((a) => a.name.startsWith('on')))).toEqual([]);
    const links = all.filter((e) => e.tagName === 'A');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://ok.test']);
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer');
    const text = current(el).shadowRoot!.textContent!;
    expect(text).toContain('<script>window.pwned = 1</script>');
    expect(text).toContain('<img src=y onerror="window.pwned=2">');
    expect(text).toContain('<script>alert(1)</script>');
    expect((window as any).pwned).toBeUndefined();
    await step(el, 'next');
    const final = everything(el.shadowRoot!);
    expect(final.filter((e) => ['SCRIPT', 'IMG', 'IFRAME'].includes(e.tagName))).toEqual([]);
  });
});
