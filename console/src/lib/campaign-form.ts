/**
 * @module The campaign editor's model: one loose shape for every question type (so changing a question's type keeps
 * what still applies), the edits that keep branches consistent (rename, move, delete), languages, and the check
 * against the protocol's CampaignDefinition, whose error paths match the form's fields.
 */
import {
  CampaignDefinition, CampaignFields, campaignLanguages, campaignWarnings, type CampaignDefinitionInput, type CampaignVersion, type LocalizedText, type QuestionType,
} from '@fixpoint/protocol';
import { issuesToErrors, type FieldErrors } from './form-errors';

export interface FormChoice {
  id: string;
  label: LocalizedText;
  next?: string | undefined;
}

/** Every field any question type has; `questionInput` keeps those of the question's type. */
export interface FormQuestion {
  id: string;
  type: QuestionType;
  text: LocalizedText;
  next?: string | undefined;
  choices: FormChoice[];
  min: number;
  max: number;
  minLabel: LocalizedText;
  maxLabel: LocalizedText;
  branches: { promoter?: string | undefined; passive?: string | undefined; detractor?: string | undefined };
  maxLength: number;
  required: boolean;
  placeholder: LocalizedText;
}

export type CampaignForm = Omit<CampaignDefinitionInput, 'questions'> & { questions: FormQuestion[] };

export const questionTypes: { value: QuestionType; label: string }[] = [
  { value: 'single', label: 'Single choice' },
  { value: 'multiple', label: 'Multiple choice' },
  { value: 'scale', label: 'Opinion scale' },
  { value: 'nps', label: 'Net Promoter Score (0–10)' },
  { value: 'text', label: 'Free text' },
  { value: 'info', label: 'Message (no answer)' },
];

/** A question of `type` with an id not in `taken` (q1, q2, …) and two choices to start from. */
export function newQuestion(type: QuestionType, taken: readonly string[], lang: string): FormQuestion {
  let n = taken.length + 1;
  while (taken.includes(`q${n}`)) n++;
  return {
    id: `q${n}`,
    type,
    text: { [lang]: '' },
    choices: [
      { id: 'yes', label: { [lang]: 'Yes' } },
      { id: 'no', label: { [lang]: 'No' } },
    ],
    min: 1,
    max: 5,
    minLabel: {},
    maxLabel: {},
    branches: {},
    maxLength: 2000,
    required: false,
    placeholder: {},
  };
}

export function emptyCampaignForm(lang = 'en'): CampaignForm {
  return {
    slug: '',
    name: '',
    description: '',
    urgency: 'normal',
    mandatory: false,
    allowPostpone: true,
    postponeDelaySec: 3600,
    allowDecline: true,
    branding: { title: { [lang]: 'IT department' }, accentColor: '#2563eb' },
    defaultLanguage: lang,
    parameters: [],
    expirySec: 7 * 24 * 3600,
    questions: [newQuestion('single', [], lang)],
    finalMessage: { [lang]: 'Thank you!' },
  };
}

const nonEmpty = (t: LocalizedText | undefined) => (t && Object.values(t).some((v) => v.trim()) ? t : undefined);

/** The question as CampaignDefinition takes it: only its type's fields, empty optional labels left out. */
export function questionInput(q: FormQuestion): CampaignDefinitionInput['questions'][number] {
  const base = { id: q.id, text: q.text, ...(q.next ? { next: q.next } : {}) };
  const labels = { ...(nonEmpty(q.minLabel) ? { minLabel: q.minLabel } : {}), ...(nonEmpty(q.maxLabel) ? { maxLabel: q.maxLabel } : {}) };
  switch (q.type) {
    case 'single':
      return { ...base, type: 'single', choices: q.choices.map((c) => ({ id: c.id, label: c.label, ...(c.next ? { next: c.next } : {}) })) };
    case 'multiple':
      return { ...base, type: 'multiple', choices: q.choices.map((c) => ({ id: c.id, label: c.label })) };
    case 'scale':
      return { ...base, type: 'scale', min: q.min, max: q.max, ...labels };
    case 'nps': {
      const branches = Object.fromEntries(Object.entries(q.branches).filter(([, v]) => v));
      return { ...base, type: 'nps', ...labels, branches };
    }
    case 'text':
      return { ...base, type: 'text', maxLength: q.maxLength, required: q.required, ...(nonEmpty(q.placeholder) ? { placeholder: q.placeholder } : {}) };
    case 'info':
      return { ...base, type: 'info' };
  }
}

export function definitionFromForm(form: CampaignForm): CampaignDefinitionInput {
  const { branding, ...rest } = form;
  return {
    ...rest,
    branding: { title: branding.title, accentColor: branding.accentColor, ...(branding.logoUrl?.trim() ? { logoUrl: branding.logoUrl.trim() } : {}) },
    parameters: (form.parameters ?? []).map((p) => ({ ...p, ...(p.default === '' ? { default: undefined } : {}) })),
    questions: form.questions.map(questionInput),
  };
}

/**
 * The form for a definition or a saved version (whose own fields, which a definition does not allow, are dropped
 * by `definitionOf`); fields a type does not use get the defaults a new question has.
 */
export function formFromDefinition(saved: CampaignDefinition | CampaignDefinitionInput | CampaignVersion): CampaignForm {
  const def = definitionOf(saved);
  const lang = def.defaultLanguage ?? 'en';
  return {
    ...def,
    branding: { ...def.branding },
    parameters: (def.parameters ?? []).map((p) => ({ ...p })),
    questions: def.questions.map((q) => {
      const blank = newQuestion(q.type, [], lang);
      return { ...blank, ...structuredClone(q), choices: 'choices' in q ? structuredClone(q.choices) : blank.choices } as FormQuestion;
    }),
  };
}

export type CampaignCheck =
  | { ok: true; definition: CampaignDefinition; warnings: string[] }
  | { ok: false; errors: FieldErrors };

/** Checks the form as the backend will: field errors keyed by the same paths as the form. */
export function checkCampaign(form: CampaignForm): CampaignCheck {
  const parsed = CampaignDefinition.safeParse(definitionFromForm(form));
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error.issues) };
  return { ok: true, definition: parsed.data, warnings: campaignWarnings(parsed.data) };
}

/** Where a question may lead: a later question, or the end. Branches only go forward. */
export function branchOptions(questions: readonly Pick<FormQuestion, 'id'>[], index: number): { value: string; label: string }[] {
  return [...questions.slice(index + 1).map((q, i) => ({ value: q.id, label: `Question ${index + i + 2} (${q.id})` })), { value: 'end', label: 'End (final message)' }];
}

/** Every branch of every question through `fn`: returns the new target, or undefined to drop the branch. */
function mapBranches(questions: FormQuestion[], fn: (target: string) => string | undefined): FormQuestion[] {
  const map = (t: string | undefined) => (t ? fn(t) : t);
  return questions.map((q) => ({
    ...q,
    next: map(q.next),
    choices: q.choices.map((c) => ({ ...c, next: map(c.next) })),
    branches: { promoter: map(q.branches.promoter), passive: map(q.branches.passive), detractor: map(q.branches.detractor) },
  }));
}

/** Renames a question and every branch that leads to it. */
export function renameQuestion(questions: FormQuestion[], index: number, id: string): FormQuestion[] {
  const old = questions[index]!.id;
  const renamed = questions.map((q, i) => (i === index ? { ...q, id } : q));
  return old === id ? renamed : mapBranches(renamed, (t) => (t === old ? id : t));
}

/** Deletes a question; branches that led to it are dropped (they fall back to the following question). */
export function removeQuestion(questions: FormQuestion[], index: number): FormQuestion[] {
  const gone = questions[index]!.id;
  return mapBranches(questions.filter((_, i) => i !== index), (t) => (t === gone ? undefined : t));
}

/** Moves a question; branches that would now lead backwards are dropped, since a branch may only go forward. */
export function moveQuestion(questions: FormQuestion[], from: number, to: number): FormQuestion[] {
  if (to < 0 || to >= questions.length || from === to) return questions;
  const next = [...questions];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved!);
  const position = new Map(next.map((q, i) => [q.id, i]));
  return next.map((q, i) => mapBranches([q], (t) => (t === 'end' || (position.get(t) ?? -1) > i ? t : undefined))[0]!);
}

/** Changes a question's type, keeping its id, text, branches and anything the new type shares. */
export function changeType(q: FormQuestion, type: QuestionType): FormQuestion {
  return { ...q, type, choices: type === 'multiple' ? q.choices.map((c) => ({ ...c, next: undefined })) : q.choices };
}

/** Sets one language of a text; an emptied text in a language other than the default is removed. */
export function setText(text: LocalizedText | undefined, lang: string, value: string, defaultLanguage: string): LocalizedText {
  const next = { ...(text ?? {}) };
  if (value === '' && lang !== defaultLanguage) delete next[lang];
  else next[lang] = value;
  return next;
}

/** The languages the editor offers: those any text uses, plus ones added but not written yet. */
export function formLanguages(form: CampaignForm, added: readonly string[] = []): string[] {
  const found = campaignLanguages({ ...definitionFromForm(form), defaultLanguage: form.defaultLanguage ?? 'en' } as CampaignDefinition);
  return [...new Set([...found, ...added])];
}

/** Removes a language from every text of the campaign. */
export function removeLanguage(form: CampaignForm, lang: string): CampaignForm {
  const drop = (t: LocalizedText): LocalizedText => Object.fromEntries(Object.entries(t).filter(([k]) => k !== lang));
  return {
    ...form,
    branding: { ...form.branding, title: drop(form.branding.title) },
    finalMessage: drop(form.finalMessage),
    questions: form.questions.map((q) => ({
      ...q,
      text: drop(q.text),
      minLabel: drop(q.minLabel),
      maxLabel: drop(q.maxLabel),
      placeholder: drop(q.placeholder),
      choices: q.choices.map((c) => ({ ...c, label: drop(c.label) })),
    })),
  };
}

/**
 * A saved version's definition: only the fields a definition has, so the version's own (id, campaignId, version,
 * createdAt, createdBy, and any added later) never reach the strict CampaignDefinition. The editor's form and the
 * campaign page's preview both go through it.
 */
export function definitionOf(version: CampaignDefinitionInput | CampaignVersion): CampaignDefinitionInput {
  const fields = new Set(Object.keys(CampaignFields.shape));
  return Object.fromEntries(Object.entries(version).filter(([key]) => fields.has(key))) as CampaignDefinitionInput;
}
