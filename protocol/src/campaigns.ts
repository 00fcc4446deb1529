/**
 * @module Campaign definitions: questions with branching, localized texts in a markdown subset, `{{parameters}}`,
 * branding, urgency, postpone and decline. The structural rules (unique ids, forward-only branches, known
 * placeholders, a default-language text everywhere) are checked here, so every side rejects the same definitions.
 */
import { z } from 'zod';
import { deadlineLimits } from './campaign-exit';
import { Slug } from './common';
import { placeholderNames } from './markdown';

export const campaignLimits = {
  maxQuestions: 50,
  maxChoices: 20,
  maxParameters: 30,
  maxTextAnswerLength: 2000,
  maxMarkdownLength: 10_000,
  maxLabelLength: 300,
  maxLogoBytes: 64 * 1024,
  maxParameterValueLength: 2000,
  minExpirySec: 60,
  maxExpirySec: 30 * 24 * 3600,
  defaultExpirySec: 7 * 24 * 3600,
  minPostponeSec: 60,
  maxPostponeSec: 7 * 24 * 3600,
  defaultPostponeSec: 3600,
  ...deadlineLimits,
  maxDevicesPerTrigger: 10_000,
  maxUsersPerTrigger: 1000,
} as const;

/** BCP 47-like tag: `en`, `fr`, `pt-BR`, `zh-Hant`. */
export const LanguageCode = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'use a language tag such as en, fr or pt-BR');
const localized = (max: number) =>
  z.record(z.string(), z.string().max(max, `a text is limited to ${max} characters`)).superRefine((m, ctx) => {
    const keys = Object.keys(m);
    if (!keys.length) ctx.addIssue({ code: 'custom', message: 'give the text in at least the default language' });
    // checked here rather than as the record's key schema, so the message names the tag
    for (const key of keys)
      if (!LanguageCode.safeParse(key).success)
        ctx.addIssue({ code: 'custom', path: [key], message: `${JSON.stringify(key.slice(0, 20))} is not a language tag; use one such as en, fr or pt-BR` });
  });
/** Markdown subset per language; see `renderMarkdown`. */
export const LocalizedMarkdown = localized(campaignLimits.maxMarkdownLength);
/** Plain text per language (labels, titles); `{{parameters}}` and `{user}` are substituted, nothing else. */
export const LocalizedLabel = localized(campaignLimits.maxLabelLength);
export type LocalizedText = Record<string, string>;

/** Question and choice ids appear in answers and in export column names, so they stay identifier-shaped. */
export const QuestionId = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'start with a letter; letters, digits, _ and - only; at most 64');
export const ChoiceId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ and - only; at most 64');
/** Where to go after a question: another question further down, or `end` (the final message). */
const Next = QuestionId;

export const Choice = z.strictObject({ id: ChoiceId, label: LocalizedLabel });
export const BranchingChoice = Choice.extend({ next: Next.optional() });
export type Choice = z.infer<typeof BranchingChoice>;

const questionBase = { id: QuestionId, text: LocalizedMarkdown, next: Next.optional() };
const choices = <T extends z.ZodType>(choice: T) =>
  z.array(choice).min(2, 'a choice question needs at least 2 choices').max(campaignLimits.maxChoices, `a question is limited to ${campaignLimits.maxChoices} choices`);

export const SingleQuestion = z.strictObject({ ...questionBase, type: z.literal('single'), choices: choices(BranchingChoice) });
/** Branching per choice would be ambiguous with several answers, so only the question's own `next` applies. */
export const MultipleQuestion = z.strictObject({ ...questionBase, type: z.literal('multiple'), choices: choices(Choice) });
export const ScaleQuestion = z.strictObject({
  ...questionBase,
  type: z.literal('scale'),
  min: z.number().int().min(0).max(9).default(1),
  max: z.number().int().min(1).max(10).default(5),
  minLabel: LocalizedLabel.optional(),
  maxLabel: LocalizedLabel.optional(),
});
export const NpsBranches = z.strictObject({ promoter: Next.optional(), passive: Next.optional(), detractor: Next.optional() });
export const NpsQuestion = z.strictObject({
  ...questionBase,
  type: z.literal('nps'),
  minLabel: LocalizedLabel.optional(),
  maxLabel: LocalizedLabel.optional(),
  branches: NpsBranches.default({}),
});
export const TextQuestion = z.strictObject({
  ...questionBase,
  type: z.literal('text'),
  maxLength: z.number().int().min(1).max(campaignLimits.maxTextAnswerLength).default(campaignLimits.maxTextAnswerLength),
  required: z.boolean().default(false),
  placeholder: LocalizedLabel.optional(),
});
/** A message only; it takes no answer. */
export const InfoQuestion = z.strictObject({ ...questionBase, type: z.literal('info') });

export const Question = z.discriminatedUnion('type', [SingleQuestion, MultipleQuestion, ScaleQuestion, NpsQuestion, TextQuestion, InfoQuestion]);
export type Question = z.infer<typeof Question>;
export type QuestionType = Question['type'];

export const CampaignParameterName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'start with a letter; letters, digits and _ only; at most 64');
export const CampaignParameterDecl = z.strictObject({
  name: CampaignParameterName,
  description: z.string().max(1000).default(''),
  required: z.boolean().default(false),
  default: z.string().max(campaignLimits.maxParameterValueLength).optional(),
});
export type CampaignParameterDecl = z.infer<typeof CampaignParameterDecl>;

const logoPattern = /^(https:\/\/[^\s"'<>]+|data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2})$/;
export const LogoUrl = z
  .string()
  .max(campaignLimits.maxLogoBytes, `a logo is limited to ${campaignLimits.maxLogoBytes / 1024} KB`)
  .regex(logoPattern, 'use an https URL or a base64 data:image/png, jpeg, gif, webp or svg+xml URL');
export const Branding = z.strictObject({
  title: LocalizedLabel,
  logoUrl: LogoUrl.optional(),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a #rrggbb colour').default('#2563eb'),
});

/** The fields of a definition without the cross-field checks, for schemas that extend it (responses, edits). */
export const CampaignFields = z.strictObject({
  slug: Slug,
  name: z.string().min(1).max(200),
  description: z.string().max(2000).default(''),
  urgency: z.enum(['normal', 'urgent']).default('normal'),
  /** A mandatory campaign cannot be postponed or declined. */
  mandatory: z.boolean().default(false),
  allowPostpone: z.boolean().default(false),
  postponeDelaySec: z.number().int().min(campaignLimits.minPostponeSec).max(campaignLimits.maxPostponeSec).default(campaignLimits.defaultPostponeSec),
  allowDecline: z.boolean().default(false),
  /** With a deadline: how many times the user may postpone; further postpones are not offered. Unset: no limit. */
  maxPostpones: z.number().int().min(0).max(campaignLimits.maxPostpones).optional(),
  /**
   * Seconds from the trigger to the deadline. At the deadline an unanswered request ends with `deadline_reached`
   * (the script goes ahead), and a postpone no longer ends a script's wait: the prompt comes back until then.
   */
  deadlineSec: z.number().int().min(campaignLimits.minExpirySec).max(campaignLimits.maxExpirySec).optional(),
  /** How long before the deadline the prompt counts down (default 300). */
  countdownSec: z.number().int().min(campaignLimits.minCountdownSec).max(campaignLimits.maxCountdownSec).optional(),
  branding: Branding,
  defaultLanguage: LanguageCode.default('en'),
  parameters: z.array(CampaignParameterDecl).max(campaignLimits.maxParameters, `a campaign is limited to ${campaignLimits.maxParameters} parameters`).default([]),
  /** Seconds from the trigger until an unanswered request expires. */
  expirySec: z
    .number()
    .int()
    .min(campaignLimits.minExpirySec, `expirySec must be at least ${campaignLimits.minExpirySec} seconds`)
    .max(campaignLimits.maxExpirySec, `expirySec is limited to ${campaignLimits.maxExpirySec} seconds (30 days)`)
    .default(campaignLimits.defaultExpirySec),
  questions: z
    .array(Question)
    .min(1, 'a campaign needs at least one question')
    .max(campaignLimits.maxQuestions, `a campaign is limited to ${campaignLimits.maxQuestions} questions`),
  finalMessage: LocalizedMarkdown,
});

/** What an author writes: the content of one immutable campaign version. */
export const CampaignDefinition = CampaignFields.superRefine(checkCampaignStructure);

/** The cross-field checks of a definition, as a zod refinement (see `CampaignDefinition`). */
export function checkCampaignStructure(c: Omit<z.infer<typeof CampaignFields>, 'slug'>, ctx: z.RefinementCtx): void {
  for (const issue of structuralProblems(c)) ctx.addIssue({ code: 'custom', ...issue });
}
export type CampaignDefinition = z.infer<typeof CampaignDefinition>;
export type CampaignDefinitionInput = z.input<typeof CampaignDefinition>;

type Fields = z.infer<typeof CampaignFields>;
interface Problem {
  path: (string | number)[];
  message: string;
}

/** Every localized text of a definition with its path, so checks and translations walk one list. */
export function campaignTexts(c: Pick<Fields, 'branding' | 'questions' | 'finalMessage'>): { path: (string | number)[]; text: LocalizedText }[] {
  const out: { path: (string | number)[]; text: LocalizedText }[] = [{ path: ['branding', 'title'], text: c.branding.title }];
  c.questions.forEach((q, i) => {
    const at = ['questions', i];
    out.push({ path: [...at, 'text'], text: q.text });
    if (q.type === 'single' || q.type === 'multiple') q.choices.forEach((ch, j) => out.push({ path: [...at, 'choices', j, 'label'], text: ch.label }));
    if ((q.type === 'scale' || q.type === 'nps') && q.minLabel) out.push({ path: [...at, 'minLabel'], text: q.minLabel });
    if ((q.type === 'scale' || q.type === 'nps') && q.maxLabel) out.push({ path: [...at, 'maxLabel'], text: q.maxLabel });
    if (q.type === 'text' && q.placeholder) out.push({ path: [...at, 'placeholder'], text: q.placeholder });
  });
  out.push({ path: ['finalMessage'], text: c.finalMessage });
  return out;
}

/** The branch targets a question can lead to, with the path of the field naming each. */
export function branchTargets(q: Question): { path: (string | number)[]; next: string }[] {
  const out: { path: (string | number)[]; next: string }[] = [];
  if (q.next) out.push({ path: ['next'], next: q.next });
  if (q.type === 'single') q.choices.forEach((ch, j) => ch.next && out.push({ path: ['choices', j, 'next'], next: ch.next }));
  if (q.type === 'nps')
    for (const band of ['promoter', 'passive', 'detractor'] as const) {
      const next = q.branches[band];
      if (next) out.push({ path: ['branches', band], next });
    }
  return out;
}

function structuralProblems(c: Omit<Fields, 'slug'>): Problem[] {
  const problems: Problem[] = [];
  if (c.mandatory && c.allowPostpone) problems.push({ path: ['allowPostpone'], message: 'a mandatory campaign cannot be postponed' });
  if (c.mandatory && c.allowDecline) problems.push({ path: ['allowDecline'], message: 'a mandatory campaign cannot be declined' });
  if (c.deadlineSec !== undefined && c.deadlineSec > c.expirySec)
    problems.push({ path: ['deadlineSec'], message: 'the deadline must come before the request expires (deadlineSec ≤ expirySec)' });
  if (c.deadlineSec === undefined && (c.maxPostpones !== undefined || c.countdownSec !== undefined))
    problems.push({ path: [c.maxPostpones !== undefined ? 'maxPostpones' : 'countdownSec'], message: 'maxPostpones and countdownSec need a deadline (deadlineSec)' });

  const params = new Set<string>();
  c.parameters.forEach((p, i) => {
    if (params.has(p.name)) problems.push({ path: ['parameters', i, 'name'], message: `parameter ${p.name} is declared twice` });
    params.add(p.name);
  });

  const index = new Map<string, number>();
  c.questions.forEach((q, i) => {
    if (q.id === 'end') problems.push({ path: ['questions', i, 'id'], message: '"end" is reserved for the end of the campaign' });
    else if (index.has(q.id)) problems.push({ path: ['questions', i, 'id'], message: `question id ${q.id} is used twice` });
    else index.set(q.id, i);
    if (q.type === 'single' || q.type === 'multiple') {
      const seen = new Set<string>();
      q.choices.forEach((ch, j) => {
        if (seen.has(ch.id)) problems.push({ path: ['questions', i, 'choices', j, 'id'], message: `choice id ${ch.id} is used twice in question ${q.id}` });
        seen.add(ch.id);
      });
    }
    if (q.type === 'scale' && q.max <= q.min) problems.push({ path: ['questions', i, 'max'], message: `question ${q.id}: max must be greater than min` });
  });
  c.questions.forEach((q, i) => {
    for (const { path, next } of branchTargets(q)) {
      if (next === 'end') continue;
      const target = index.get(next);
      if (target === undefined) problems.push({ path: ['questions', i, ...path], message: `question ${q.id} branches to ${next}, which does not exist` });
      else if (target <= i)
        problems.push({ path: ['questions', i, ...path], message: `question ${q.id} branches back to ${next}; a branch may only go forward` });
    }
  });

  for (const { path, text } of campaignTexts(c)) {
    if (!text[c.defaultLanguage]?.trim()) problems.push({ path, message: `missing the text in the default language (${c.defaultLanguage})` });
    for (const value of Object.values(text))
      for (const name of placeholderNames(value))
        if (!params.has(name)) problems.push({ path, message: `{{${name}}} is not a declared parameter` });
  }
  return problems;
}

/**
 * Things that are allowed but probably unintended: questions no path reaches, languages that only some texts are
 * translated to (those fall back to the default language).
 */
export function campaignWarnings(c: CampaignDefinition): string[] {
  const warnings: string[] = [];
  const reached = reachableQuestions(c);
  for (const q of c.questions) if (!reached.has(q.id)) warnings.push(`question ${q.id} cannot be reached: every branch before it skips it`);
  const texts = campaignTexts(c);
  const counts = new Map<string, number>();
  for (const { text } of texts) for (const lang of Object.keys(text)) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  for (const [lang, n] of counts)
    if (lang !== c.defaultLanguage && n < texts.length)
      warnings.push(`${texts.length - n} of ${texts.length} texts have no ${lang} translation and show in ${c.defaultLanguage}`);
  return warnings;
}

/** Ids of the questions some combination of answers leads to (the first one always). */
export function reachableQuestions(c: Pick<CampaignDefinition, 'questions'>): Set<string> {
  const reached = new Set<string>();
  const ids = c.questions.map((q) => q.id);
  const queue = c.questions.length ? [0] : [];
  while (queue.length) {
    const i = queue.shift()!;
    const q = c.questions[i];
    if (!q || reached.has(q.id)) continue;
    reached.add(q.id);
    const targets = branchTargets(q).map((t) => t.next);
    // the default (the following question) applies unless every way out is an explicit branch
    const allBranched =
      q.next !== undefined ||
      (q.type === 'single' && q.choices.every((ch) => ch.next)) ||
      (q.type === 'nps' && !!(q.branches.promoter && q.branches.passive && q.branches.detractor));
    if (!allBranched) queue.push(i + 1);
    for (const next of targets) if (next !== 'end') queue.push(ids.indexOf(next));
  }
  return reached;
}
