import { describe, expect, it } from 'vitest';
import { sampleCampaign } from './testing/campaigns';
import { CampaignDefinition, campaignWarnings, reachableQuestions, type CampaignDefinitionInput } from './campaigns';
import { TriggerCampaign } from './campaign-api';

const parse = (input: unknown) => CampaignDefinition.safeParse(input);
const messages = (input: unknown) => {
  const result = parse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const withQuestions = (questions: unknown[]) => ({ ...sampleCampaign(), questions }) as CampaignDefinitionInput;

describe('CampaignDefinition', () => {
  it('accepts the sample and fills defaults', () => {
    const c = CampaignDefinition.parse(sampleCampaign());
    expect(c).toMatchObject({ mandatory: false, expirySec: 7 * 24 * 3600, defaultLanguage: 'en' });
    const details = c.questions.find((q) => q.id === 'details');
    expect(details).toMatchObject({ type: 'text', required: false, maxLength: 500 });
    expect(campaignWarnings(c)).toEqual([expect.stringMatching(/have no fr translation/)]);
  });

  it('rejects unknown fields anywhere (strict objects)', () => {
    expect(messages({ ...sampleCampaign(), extra: 1 })).not.toEqual([]);
    expect(messages({ ...sampleCampaign(), branding: { title: { en: 'x' }, extra: 1 } })).not.toEqual([]);
    expect(messages(withQuestions([{ id: 'a', type: 'info', text: { en: 'x' }, choices: [] }]))).not.toEqual([]);
    // branching per choice is for single-choice questions only
    expect(
      messages(withQuestions([{ id: 'a', type: 'multiple', text: { en: 'x' }, choices: [{ id: 'x', label: { en: 'x' }, next: 'end' }, { id: 'y', label: { en: 'y' } }] }])),
    ).not.toEqual([]);
  });

  it('forbids postpone and decline on a mandatory campaign', () => {
    expect(messages({ ...sampleCampaign(), mandatory: true })).toEqual([
      'allowPostpone: a mandatory campaign cannot be postponed',
      'allowDecline: a mandatory campaign cannot be declined',
    ]);
    expect(messages({ ...sampleCampaign(), mandatory: true, allowPostpone: false, allowDecline: false })).toEqual([]);
  });

  it('checks ids, branch targets and forward-only branching', () => {
    const info = (id: string, next?: string) => ({ id, type: 'info', text: { en: id }, ...(next ? { next } : {}) });
    expect(messages(withQuestions([info('a'), info('a')]))).toEqual(['questions.1.id: question id a is used twice']);
    expect(messages(withQuestions([info('end')]))).toEqual(['questions.0.id: "end" is reserved for the end of the campaign']);
    expect(messages(withQuestions([info('a', 'zzz'), info('b')]))).toEqual(['questions.0.next: question a branches to zzz, which does not exist']);
    expect(messages(withQuestions([info('a'), info('b', 'a')]))).toEqual(['questions.1.next: question b branches back to a; a branch may only go forward']);
    expect(messages(withQuestions([info('a', 'a')]))).toEqual(['questions.0.next: question a branches back to a; a branch may only go forward']);
    const single = { id: 's', type: 'single', text: { en: 's' }, choices: [{ id: 'x', label: { en: 'x' }, next: 's' }, { id: 'x', label: { en: 'y' } }] };
    expect(messages(withQuestions([single]))).toEqual([
      'questions.0.choices.1.id: choice id x is used twice in question s',
      'questions.0.choices.0.next: question s branches back to s; a branch may only go forward',
    ]);
    const nps = { id: 'n', type: 'nps', text: { en: 'n' }, branches: { detractor: 'nope' } };
    expect(messages(withQuestions([nps]))).toEqual(['questions.0.branches.detractor: question n branches to nope, which does not exist']);
  });

  it('enforces the limits on questions, choices, parameters and text length', () => {
    const info = (i: number) => ({ id: `q${i}`, type: 'info', text: { en: 'x' } });
    expect(messages(withQuestions(Array.from({ length: 51 }, (_, i) => info(i))))[0]).toMatch(/limited to 50 questions/);
    expect(messages(withQuestions([]))[0]).toMatch(/at least one question/);
    const choices = Array.from({ length: 21 }, (_, i) => ({ id: `c${i}`, label: { en: 'c' } }));
    expect(messages(withQuestions([{ id: 'a', type: 'single', text: { en: 'x' }, choices }]))[0]).toMatch(/limited to 20 choices/);
    expect(messages(withQuestions([{ id: 'a', type: 'single', text: { en: 'x' }, choices: choices.slice(0, 1) }]))[0]).toMatch(/at least 2 choices/);
    expect(messages(withQuestions([{ id: 'a', type: 'text', text: { en: 'x' }, maxLength: 2001 }]))).not.toEqual([]);
    const parameters = Array.from({ length: 31 }, (_, i) => ({ name: `p${i}` }));
    expect(messages({ ...sampleCampaign(), parameters })[0]).toMatch(/limited to 30 parameters/);
    expect(messages({ ...sampleCampaign(), finalMessage: { en: 'x'.repeat(10_001) } })[0]).toMatch(/limited to 10000 characters/);
    expect(messages(withQuestions([{ id: 'a', type: 'scale', text: { en: 'x' }, min: 3, max: 3 }]))).toEqual(['questions.0.max: question a: max must be greater than min']);
  });

  it('needs the default language everywhere and declared placeholders only', () => {
    expect(messages({ ...sampleCampaign(), defaultLanguage: 'fr' }).length).toBeGreaterThan(3);
    expect(messages({ ...sampleCampaign(), finalMessage: { en: '   ' } })).toEqual(['finalMessage: missing the text in the default language (en)']);
    expect(messages({ ...sampleCampaign(), finalMessage: { en: 'Bye {{who}}', fr: '{{other}}' } })).toEqual([
      'finalMessage: {{who}} is not a declared parameter',
      'finalMessage: {{other}} is not a declared parameter',
    ]);
    expect(messages({ ...sampleCampaign(), finalMessage: { EN: 'x' } })).not.toEqual([]);
    expect(messages({ ...sampleCampaign(), parameters: [{ name: 'deadline' }, { name: 'device' }, { name: 'deadline' }] })).toEqual([
      'parameters.2.name: parameter deadline is declared twice',
    ]);
  });

  it('accepts https and data-URL logos only', () => {
    const logo = (logoUrl: string) => messages({ ...sampleCampaign(), branding: { title: { en: 'x' }, logoUrl } });
    expect(logo('https://it.example.com/logo.png')).toEqual([]);
    expect(logo('data:image/png;base64,iVBORw0KGgo=')).toEqual([]);
    expect(logo('data:image/svg+xml;base64,PHN2Zy8+')).toEqual([]);
    for (const bad of ['http://x.test/a.png', 'javascript:alert(1)', 'data:text/html;base64,PGI+', 'https://x.test/a" onerror="x', `data:image/png;base64,${'A'.repeat(70_000)}`])
      expect(logo(bad), bad).not.toEqual([]);
    expect(messages({ ...sampleCampaign(), branding: { title: { en: 'x' }, accentColor: 'red' } })).not.toEqual([]);
  });

  it('warns about questions no branch reaches', () => {
    const c = CampaignDefinition.parse(
      withQuestions([
        { id: 'a', type: 'single', text: { en: 'a' }, choices: [{ id: 'x', label: { en: 'x' }, next: 'c' }, { id: 'y', label: { en: 'y' }, next: 'end' }] },
        { id: 'b', type: 'info', text: { en: 'b' } },
        { id: 'c', type: 'info', text: { en: 'c' }, next: 'end' },
        { id: 'd', type: 'info', text: { en: 'd' } },
      ]),
    );
    expect([...reachableQuestions(c)]).toEqual(['a', 'c']);
    expect(campaignWarnings(c)).toContain('question b cannot be reached: every branch before it skips it');
    expect(campaignWarnings(c)).toContain('question d cannot be reached: every branch before it skips it');
  });
});

describe('TriggerCampaign', () => {
  it('needs a target and bounds its lists and values', () => {
    expect(TriggerCampaign.safeParse({}).success).toBe(false);
    expect(TriggerCampaign.safeParse({ users: ['ana'] }).success).toBe(true);
    expect(TriggerCampaign.safeParse({ devices: ['not-a-uuid'] }).success).toBe(false);
    expect(TriggerCampaign.safeParse({ users: ['ana'], parameters: { x: 'y'.repeat(2001) } }).success).toBe(false);
    expect(TriggerCampaign.safeParse({ users: ['ana\n'] }).success).toBe(false);
    expect(TriggerCampaign.safeParse({ users: ['ana'], extra: true }).success).toBe(false);
  });
});
