/** The prompt's own words (buttons, hints), in the languages campaigns are most often written in. */
export interface PromptStrings {
  back: string;
  next: string;
  finish: string;
  postpone: string;
  decline: string;
  urgent: string;
  /** `{n}` is the step number. */
  step: string;
  answerRequired: string;
}

const strings: Record<string, PromptStrings> = {
  en: { back: 'Back', next: 'Next', finish: 'Finish', postpone: 'Remind me later', decline: 'No thanks', urgent: 'Urgent', step: 'Step {n}', answerRequired: 'Please answer this question to continue.' },
  fr: { back: 'Retour', next: 'Suivant', finish: 'Terminer', postpone: 'Me le rappeler plus tard', decline: 'Non merci', urgent: 'Urgent', step: 'Étape {n}', answerRequired: 'Veuillez répondre à cette question pour continuer.' },
  de: { back: 'Zurück', next: 'Weiter', finish: 'Fertig', postpone: 'Später erinnern', decline: 'Nein danke', urgent: 'Dringend', step: 'Schritt {n}', answerRequired: 'Bitte beantworten Sie diese Frage, um fortzufahren.' },
  es: { back: 'Atrás', next: 'Siguiente', finish: 'Terminar', postpone: 'Recordármelo más tarde', decline: 'No, gracias', urgent: 'Urgente', step: 'Paso {n}', answerRequired: 'Responda a esta pregunta para continuar.' },
};

/** The strings for a language tag (`fr-CA` → French), English when there are none. */
export function promptStrings(language: string): PromptStrings {
  return strings[language] ?? strings[language.split('-')[0]!] ?? strings.en!;
}
