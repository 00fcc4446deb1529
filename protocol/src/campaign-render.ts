/**
 * @module A campaign in one language with its parameters filled in: what the tray prompt shows and what the
 * console preview returns. Markdown texts come out as sanitized HTML (`html`), labels as plain text.
 */
import { z } from 'zod';
import { campaignTexts, type CampaignDefinition, type LocalizedText, type Question } from './campaigns';
import { renderMarkdown, renderText } from './markdown';

/**
 * Picks the text for `language`: the exact tag, then its base language (`pt` for `pt-BR`), then the default.
 * @example localize({ en: 'Hello', fr: 'Bonjour' }, 'fr-CA', 'en') // → 'Bonjour'
 */
export function localize(text: LocalizedText, language: string | undefined, defaultLanguage: string): string {
  if (language) {
    if (Object.hasOwn(text, language)) return text[language]!;
    const base = language.split('-')[0]!;
    if (Object.hasOwn(text, base)) return text[base]!;
  }
  return (Object.hasOwn(text, defaultLanguage) ? text[defaultLanguage] : Object.values(text)[0]) ?? '';
}

/** The languages a campaign has any text in, the default first. */
export function campaignLanguages(c: Pick<CampaignDefinition, 'defaultLanguage' | 'branding' | 'questions' | 'finalMessage'>): string[] {
  const found = new Set<string>([c.defaultLanguage]);
  for (const { text } of campaignTexts(c)) for (const lang of Object.keys(text)) found.add(lang);
  return [...found];
}

export const RenderedChoice = z.object({ id: z.string(), label: z.string() });
export const RenderedQuestion = z.object({
  id: z.string(),
  type: z.enum(['single', 'multiple', 'scale', 'nps', 'text', 'info']),
  /** Sanitized HTML of the question text. */
  html: z.string(),
  choices: z.array(RenderedChoice).optional(),
  min: z.number().int().optional(),
  max: z.number().int().optional(),
  minLabel: z.string().optional(),
  maxLabel: z.string().optional(),
  maxLength: z.number().int().optional(),
  required: z.boolean().optional(),
  placeholder: z.string().optional(),
});
export type RenderedQuestion = z.infer<typeof RenderedQuestion>;

export const RenderedCampaign = z.object({
  slug: z.string(),
  name: z.string(),
  /** The language asked for when the campaign has texts in it (or its base language), else the default. */
  language: z.string(),
  languages: z.array(z.string()),
  urgency: z.enum(['normal', 'urgent']),
  mandatory: z.boolean(),
  allowPostpone: z.boolean(),
  allowDecline: z.boolean(),
  postponeDelaySec: z.number().int(),
  branding: z.object({ title: z.string(), logoUrl: z.string().nullable(), accentColor: z.string() }),
  questions: z.array(RenderedQuestion),
  /** Sanitized HTML of the final message. */
  finalHtml: z.string(),
});
export type RenderedCampaign = z.infer<typeof RenderedCampaign>;

export interface RenderCampaignOptions {
  language?: string | undefined;
  /** Parameter values; declared defaults fill the gaps. Names left without a value show as `{{name}}`. */
  parameters?: Readonly<Record<string, string>> | undefined;
  /** The user's display name for `{user}`; shows as `{user}` when undefined. */
  user?: string | undefined;
}

/**
 * Renders every text of a campaign for one language and set of parameter values.
 * @example renderCampaign(definition, { language: 'fr', parameters: { deadline: 'vendredi' }, user: 'Ana' })
 */
export function renderCampaign(c: CampaignDefinition, options: RenderCampaignOptions = {}): RenderedCampaign {
  const params: Record<string, string> = {};
  for (const p of c.parameters) if (p.default !== undefined) params[p.name] = p.default;
  Object.assign(params, options.parameters ?? {});
  const languages = campaignLanguages(c);
  const wanted = options.language;
  const language = wanted && languages.includes(wanted) ? wanted : wanted && languages.includes(wanted.split('-')[0]!) ? wanted.split('-')[0]! : c.defaultLanguage;
  const text = (t: LocalizedText) => renderText(localize(t, language, c.defaultLanguage), params, options.user);
  const html = (t: LocalizedText) => renderMarkdown(localize(t, language, c.defaultLanguage), params, options.user);
  const question = (q: Question): RenderedQuestion => {
    const base = { id: q.id, type: q.type, html: html(q.text) };
    switch (q.type) {
      case 'single':
      case 'multiple':
        return { ...base, choices: q.choices.map((ch) => ({ id: ch.id, label: text(ch.label) })) };
      case 'scale':
      case 'nps':
        return {
          ...base,
          min: q.type === 'scale' ? q.min : 0,
          max: q.type === 'scale' ? q.max : 10,
          ...(q.minLabel ? { minLabel: text(q.minLabel) } : {}),
          ...(q.maxLabel ? { maxLabel: text(q.maxLabel) } : {}),
        };
      case 'text':
        return { ...base, maxLength: q.maxLength, required: q.required, ...(q.placeholder ? { placeholder: text(q.placeholder) } : {}) };
      case 'info':
        return base;
    }
  };
  return {
    slug: c.slug,
    name: c.name,
    language,
    languages,
    urgency: c.urgency,
    mandatory: c.mandatory,
    allowPostpone: !c.mandatory && c.allowPostpone,
    allowDecline: !c.mandatory && c.allowDecline,
    postponeDelaySec: c.postponeDelaySec,
    branding: { title: text(c.branding.title), logoUrl: c.branding.logoUrl ?? null, accentColor: c.branding.accentColor },
    questions: c.questions.map(question),
    finalHtml: html(c.finalMessage),
  };
}
