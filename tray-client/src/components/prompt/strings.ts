import { stringsFor } from '../shared/strings';

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
  /** `{n}`: postpones the user may still take. */
  postponesLeft: string;
  noPostponesLeft: string;
  /** `{time}`: the deadline, as a date and time. */
  deadline: string;
  /** `{time}`: minutes and seconds left. */
  countdown: string;
}

const strings: Record<string, PromptStrings> = {
  en: { back: 'Back', next: 'Next', finish: 'Finish', postpone: 'Remind me later', decline: 'No thanks', urgent: 'Urgent', step: 'Step {n}', answerRequired: 'Please answer this question to continue.', postponesLeft: 'Postpones left: {n}.', noPostponesLeft: 'You cannot postpone this any more.', deadline: 'This goes ahead at {time} at the latest.', countdown: 'Going ahead in {time}' },
  fr: { back: 'Retour', next: 'Suivant', finish: 'Terminer', postpone: 'Me le rappeler plus tard', decline: 'Non merci', urgent: 'Urgent', step: 'Étape {n}', answerRequired: 'Veuillez répondre à cette question pour continuer.', postponesLeft: 'Vous pouvez encore reporter {n} fois.', noPostponesLeft: 'Vous ne pouvez plus reporter.', deadline: 'Au plus tard le {time}.', countdown: 'Lancement dans {time}' },
  de: { back: 'Zurück', next: 'Weiter', finish: 'Fertig', postpone: 'Später erinnern', decline: 'Nein danke', urgent: 'Dringend', step: 'Schritt {n}', answerRequired: 'Bitte beantworten Sie diese Frage, um fortzufahren.', postponesLeft: 'Sie können noch {n} Mal verschieben.', noPostponesLeft: 'Sie können nicht mehr verschieben.', deadline: 'Spätestens am {time}.', countdown: 'Start in {time}' },
  es: { back: 'Atrás', next: 'Siguiente', finish: 'Terminar', postpone: 'Recordármelo más tarde', decline: 'No, gracias', urgent: 'Urgente', step: 'Paso {n}', answerRequired: 'Responda a esta pregunta para continuar.', postponesLeft: 'Aplazamientos restantes: {n}.', noPostponesLeft: 'Ya no puede posponerlo.', deadline: 'Como muy tarde el {time}.', countdown: 'Comienza en {time}' },
};

/** The strings for a language tag (`fr-CA` → French), English when there are none. */
export function promptStrings(language: string): PromptStrings {
  return stringsFor(strings, language);
}
