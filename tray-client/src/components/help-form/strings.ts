import { stringsFor } from '../shared/strings';

/** The "Get help" form's words, in the same languages as the prompt's (see `promptStrings`). */
export interface HelpStrings {
  title: string;
  intro: string;
  subject: string;
  description: string;
  screenshot: string;
  screenshotHint: string;
  /** `{reason}`: why there is none. */
  noScreenshot: string;
  send: string;
  cancel: string;
  sending: string;
  /** `{id}`: the request's reference. */
  sent: string;
  subjectRequired: string;
  /** `{message}`: what went wrong. */
  failed: string;
  close: string;
}

const strings: Record<string, HelpStrings> = {
  en: {
    title: 'Get help',
    intro: 'Tell IT what is wrong. Details about this device are sent with your request.',
    subject: 'Subject',
    description: 'What happened?',
    screenshot: 'Include a screenshot of my screen',
    screenshotHint: 'Only sent if you tick the box. Preview:',
    noScreenshot: 'A screenshot cannot be included: {reason}',
    send: 'Send',
    cancel: 'Cancel',
    sending: 'Sending…',
    sent: 'Sent. IT has your request (reference {id}).',
    subjectRequired: 'Please give a subject.',
    failed: 'Your request could not be sent: {message}',
    close: 'Close',
  },
  fr: {
    title: 'Obtenir de l’aide',
    intro: 'Décrivez le problème au service informatique. Les informations de cet appareil accompagnent votre demande.',
    subject: 'Objet',
    description: 'Que s’est-il passé ?',
    screenshot: 'Joindre une capture de mon écran',
    screenshotHint: 'Envoyée seulement si vous cochez la case. Aperçu :',
    noScreenshot: 'Impossible de joindre une capture : {reason}',
    send: 'Envoyer',
    cancel: 'Annuler',
    sending: 'Envoi…',
    sent: 'Envoyé. Le service informatique a votre demande (référence {id}).',
    subjectRequired: 'Veuillez indiquer un objet.',
    failed: 'Votre demande n’a pas pu être envoyée : {message}',
    close: 'Fermer',
  },
  de: {
    title: 'Hilfe anfordern',
    intro: 'Beschreiben Sie der IT das Problem. Angaben zu diesem Gerät werden mitgesendet.',
    subject: 'Betreff',
    description: 'Was ist passiert?',
    screenshot: 'Einen Screenshot meines Bildschirms anhängen',
    screenshotHint: 'Wird nur gesendet, wenn Sie das Kästchen ankreuzen. Vorschau:',
    noScreenshot: 'Kein Screenshot möglich: {reason}',
    send: 'Senden',
    cancel: 'Abbrechen',
    sending: 'Wird gesendet…',
    sent: 'Gesendet. Die IT hat Ihre Anfrage (Referenz {id}).',
    subjectRequired: 'Bitte geben Sie einen Betreff an.',
    failed: 'Ihre Anfrage konnte nicht gesendet werden: {message}',
    close: 'Schließen',
  },
  es: {
    title: 'Pedir ayuda',
    intro: 'Cuente a TI qué ocurre. Los datos de este equipo se envían con su solicitud.',
    subject: 'Asunto',
    description: '¿Qué ha pasado?',
    screenshot: 'Incluir una captura de mi pantalla',
    screenshotHint: 'Solo se envía si marca la casilla. Vista previa:',
    noScreenshot: 'No se puede incluir una captura: {reason}',
    send: 'Enviar',
    cancel: 'Cancelar',
    sending: 'Enviando…',
    sent: 'Enviado. TI tiene su solicitud (referencia {id}).',
    subjectRequired: 'Indique un asunto.',
    failed: 'No se pudo enviar su solicitud: {message}',
    close: 'Cerrar',
  },
};

export function helpStrings(language: string): HelpStrings {
  return stringsFor(strings, language);
}
