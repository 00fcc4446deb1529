import { describe, expect, it } from 'vitest';
import { sampleCampaign } from './testing/campaigns';
import { CampaignDefinition } from './campaigns';
import { localize, renderCampaign } from './campaign-render';
import { nextQuestionId, npsBand, traceCampaign, validateAnswers, walkCampaign } from './campaign-walk';

const c = CampaignDefinition.parse(sampleCampaign());
const unhappy = { satisfied: ['no'], why: ['slow', 'battery'], nps: ['3'], rating: ['4'] };

describe('walkCampaign', () => {
  it('stops at the first question waiting for an answer', () => {
    // intro is a message, so the walk goes on to the first real question
    expect(walkCampaign(c, {})).toEqual(['intro', 'satisfied']);
    expect(traceCampaign(c, {}).complete).toBe(false);
  });

  it('follows a choice branch and an NPS band branch to the end', () => {
    expect(traceCampaign(c, { satisfied: ['yes'] })).toEqual({ path: ['intro', 'satisfied', 'nps'], complete: false });
    expect(traceCampaign(c, { satisfied: ['yes'], nps: ['10'] })).toEqual({ path: ['intro', 'satisfied', 'nps'], complete: true });
  });

  it('passes optional text questions and waits on required ones', () => {
    expect(walkCampaign(c, { satisfied: ['no'], why: ['slow'] })).toEqual(['intro', 'satisfied', 'why', 'details', 'nps']);
    expect(walkCampaign(c, unhappy)).toEqual(['intro', 'satisfied', 'why', 'details', 'nps', 'improve']);
    expect(walkCampaign(c, unhappy, { improve: '   ' })).toEqual(['intro', 'satisfied', 'why', 'details', 'nps', 'improve']);
    expect(traceCampaign(c, unhappy, { improve: 'more RAM' })).toEqual({
      path: ['intro', 'satisfied', 'why', 'details', 'nps', 'improve', 'rating'],
      complete: true,
    });
  });

  it('uses the default next for a band without a branch', () => {
    expect(npsBand(9)).toBe('promoter');
    expect(npsBand(7)).toBe('passive');
    expect(npsBand(6)).toBe('detractor');
    expect(nextQuestionId(c, 'nps', { nps: ['8'] })).toBe('improve');
    expect(nextQuestionId(c, 'nps', { nps: ['0'] })).toBe('improve');
    expect(nextQuestionId(c, 'nps', { nps: ['9'] })).toBe('end');
    expect(nextQuestionId(c, 'rating', {})).toBe('end');
    expect(nextQuestionId(c, 'nope', {})).toBe('end');
  });

  it('never loops on a definition that branches backwards', () => {
    const broken = { questions: [...c.questions.slice(0, 2).map((q) => ({ ...q, next: 'intro' }))] } as typeof c;
    expect(traceCampaign(broken, { satisfied: ['no'] })).toEqual({ path: ['intro'], complete: false });
  });
});

describe('validateAnswers', () => {
  const problems = (answers: Record<string, string[]>, freeText: Record<string, string> = {}, complete = false) =>
    validateAnswers(c, answers, { freeText, complete }).problems.map((p) => p.message);

  it('accepts answers that follow the branching', () => {
    expect(validateAnswers(c, unhappy, { freeText: { improve: 'x', details: 'y' }, complete: true })).toEqual({ ok: true, problems: [] });
    expect(validateAnswers(c, { satisfied: ['yes'] }).ok).toBe(true);
    expect(validateAnswers(c, {}).ok).toBe(true);
  });

  it('rejects unknown questions and choices, empty multiples and out-of-range numbers', () => {
    expect(problems({ nope: ['x'] })).toEqual(['there is no question nope']);
    expect(problems({ satisfied: ['maybe'] })).toEqual(['question satisfied: maybe is not one of its choices']);
    expect(problems({ satisfied: ['yes', 'no'] })).toEqual(['question satisfied: choose exactly one answer']);
    expect(problems({ satisfied: ['no'], why: [] })).toEqual(['question why: choose at least one answer']);
    expect(problems({ satisfied: ['no'], why: ['slow', 'slow'] })).toEqual(['question why: a choice is given twice']);
    expect(problems({ satisfied: ['yes'], nps: ['11'] })).toEqual(['question nps: 11 is outside 0–10']);
    expect(problems({ satisfied: ['yes'], nps: ['7.5'] })).toEqual(['question nps: answer with one whole number from 0 to 10']);
    expect(problems({ ...unhappy, rating: ['0'] }, { improve: 'x' })).toEqual(['question rating: 0 is outside 1–5']);
    expect(problems({ intro: ['x'] })).toEqual(['question intro: an info message takes no answer']);
    expect(problems({ details: ['x'] })).toEqual(['question details: a text question takes its answer in freeText']);
  });

  it('rejects free text that is too long or for a question that is not a text question', () => {
    expect(problems(unhappy, { improve: 'x'.repeat(201) })).toEqual(['question improve: the answer is longer than 200 characters']);
    expect(problems(unhappy, { improve: '😀'.repeat(200) })).toEqual([]);
    expect(problems({}, { satisfied: 'x' })).toEqual(['question satisfied is not a text question']);
    expect(problems({}, { ghost: 'x' })).toEqual(['there is no question ghost']);
  });

  it('rejects answers to questions the branching skips, and incomplete full responses', () => {
    expect(problems({ satisfied: ['yes'], why: ['slow'] })).toEqual(['question why is not on the path these answers take']);
    expect(problems({ satisfied: ['yes'], nps: ['10'], rating: ['3'] })).toEqual(['question rating is not on the path these answers take']);
    expect(problems({ satisfied: ['yes'] }, {}, true)).toEqual(['question nps needs an answer']);
    expect(problems({ satisfied: ['no'], why: ['slow'], nps: ['3'] }, {}, true)).toEqual(['question improve needs an answer']);
  });
});

describe('renderCampaign', () => {
  it('renders one language with fallback, parameters and the user', () => {
    const r = renderCampaign(c, { language: 'fr-CA', parameters: { deadline: 'Friday' }, user: 'Ana <3' });
    expect(r.language).toBe('fr');
    expect(r.branding).toEqual({ title: 'Service informatique', logoUrl: null, accentColor: '#0055aa' });
    expect(r.questions[0]!.html).toBe('<p>Bonjour <strong>Ana &#60;3</strong>.</p>');
    expect(r.questions[1]!.choices).toEqual([{ id: 'yes', label: 'Oui' }, { id: 'no', label: 'Non' }]);
    // no French text for this one: the default language
    expect(r.questions[2]!.html).toBe('<p>What is wrong?</p>');
    expect(r.questions[6]!.html).toBe('<p>Rate the restart by Friday</p>');
    expect(r.questions[1]!.html).toBe('<p>Êtes-vous satisfait ?</p>');
    expect(r.finalHtml).toBe('<p>Merci, Ana &#60;3 !</p>');
    expect(renderCampaign(c, { language: 'de' }).language).toBe('en');
    expect(renderCampaign(c).questions[0]!.html).toContain('{user}');
    expect(renderCampaign(c).questions[0]!.html).toContain('your computer');
  });

  it('never offers postpone or decline on a mandatory campaign', () => {
    const r = renderCampaign({ ...c, mandatory: true, allowPostpone: true, allowDecline: true });
    expect(r).toMatchObject({ allowPostpone: false, allowDecline: false });
  });

  it('localizes with base-language and default fallback', () => {
    expect(localize({ en: 'a', pt: 'b' }, 'pt-BR', 'en')).toBe('b');
    expect(localize({ en: 'a', 'pt-BR': 'c', pt: 'b' }, 'pt-BR', 'en')).toBe('c');
    expect(localize({ en: 'a' }, undefined, 'en')).toBe('a');
    expect(localize({ en: 'a' }, '__proto__', 'en')).toBe('a');
  });
});
