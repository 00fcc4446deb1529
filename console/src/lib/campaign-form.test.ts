import { sampleCampaign } from '@fixpoint/protocol/testing';
import { describe, expect, it } from 'vitest';
import {
  branchOptions, changeType, checkCampaign, definitionFromForm, definitionOf, emptyCampaignForm, formFromDefinition, formLanguages, moveQuestion,
  newQuestion, removeLanguage, removeQuestion, renameQuestion, setText,
} from './campaign-form';

describe('campaign form', () => {
  it('round-trips a definition with every question type and branch', () => {
    const sample = sampleCampaign();
    const check = checkCampaign(formFromDefinition(sample));
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.definition.questions.map((q) => q.type)).toEqual(['info', 'single', 'multiple', 'text', 'nps', 'text', 'scale']);
    expect(check.definition.questions[1]).toMatchObject({ choices: [{ id: 'yes', next: 'nps' }, { id: 'no' }] });
    expect(check.definition.questions[4]).toMatchObject({ branches: { promoter: 'end', detractor: 'improve' } });
  });

  it('keeps only the fields of each type', () => {
    const q = { ...newQuestion('multiple', [], 'en'), next: 'end' };
    q.choices[0]!.next = 'end';
    expect(definitionFromForm({ ...emptyCampaignForm(), questions: [q] }).questions[0]).toEqual({
      id: 'q1', type: 'multiple', text: { en: '' }, next: 'end', choices: [{ id: 'yes', label: { en: 'Yes' } }, { id: 'no', label: { en: 'No' } }],
    });
    expect(definitionFromForm({ ...emptyCampaignForm(), questions: [changeType(q, 'info')] }).questions[0]).toEqual({ id: 'q1', type: 'info', text: { en: '' }, next: 'end' });
  });

  it('reports errors at the paths of the form', () => {
    const form = emptyCampaignForm();
    const check = checkCampaign(form);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(Object.keys(check.errors)).toEqual(expect.arrayContaining(['slug', 'name', 'questions.0.text']));
  });

  it('offers only later questions and the end as branch targets', () => {
    const qs = ['a', 'b', 'c'].map((id) => ({ id }));
    expect(branchOptions(qs, 1).map((o) => o.value)).toEqual(['c', 'end']);
  });

  it('follows renames, drops branches to deleted questions and branches that a move turns backwards', () => {
    const form = formFromDefinition(sampleCampaign());
    const renamed = renameQuestion(form.questions, 4, 'score');
    expect(renamed[1]!.choices[0]!.next).toBe('score');
    const removed = removeQuestion(form.questions, 5);
    expect(removed.find((q) => q.id === 'nps')!.branches).toEqual({ promoter: 'end', passive: undefined, detractor: undefined });
    // nps moves above satisfied: the branch satisfied → nps now points backwards.
    const moved = moveQuestion(form.questions, 4, 1);
    expect(moved.map((q) => q.id)).toEqual(['intro', 'nps', 'satisfied', 'why', 'details', 'improve', 'rating']);
    expect(moved[2]!.choices[0]!.next).toBeUndefined();
    expect(moved[1]!.branches.detractor).toBe('improve');
    expect(moveQuestion(form.questions, 0, -1)).toBe(form.questions);
  });

  it('picks unique ids for new questions', () => {
    expect(newQuestion('text', ['q1', 'q3'], 'en').id).toBe('q4');
    expect(newQuestion('text', ['q3', 'q2'], 'en').id).toBe('q4');
  });

  it('edits languages', () => {
    expect(setText({ en: 'Hi', fr: 'Salut' }, 'fr', '', 'en')).toEqual({ en: 'Hi' });
    expect(setText({ en: 'Hi' }, 'en', '', 'en')).toEqual({ en: '' });
    const form = formFromDefinition(sampleCampaign());
    expect(formLanguages(form, ['de'])).toEqual(['en', 'fr', 'de']);
    const english = removeLanguage(form, 'fr');
    expect(formLanguages(english)).toEqual(['en']);
    expect(checkCampaign(english).ok).toBe(true);
  });

  it('takes the definition out of a saved version', () => {
    const version = { ...sampleCampaign(), id: 'i', campaignId: 'c', version: 2, createdAt: 'now', createdBy: 'user:ana' };
    expect(definitionOf(version)).toEqual(sampleCampaign());
  });

  it('builds the editor form from a saved version, which then passes the check', () => {
    const version = { ...sampleCampaign(), id: 'i', campaignId: 'c', version: 2, createdAt: '2025-01-01T00:00:00Z', createdBy: 'user:ana' };
    const form = formFromDefinition(version);
    for (const key of ['id', 'campaignId', 'version', 'createdAt', 'createdBy']) expect(form).not.toHaveProperty(key);
    const check = checkCampaign(form);
    expect(check.ok, JSON.stringify(check.ok ? null : check.errors)).toBe(true);
  });
});
