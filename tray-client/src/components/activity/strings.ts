/** @module The activity window's own words, in the languages the prompt speaks (see `promptStrings`). */
import type { ActivityEntry, OriginKind } from '@fixpoint/protocol';
import { stringsFor } from '../shared/language';

export interface ActivityStrings {
  title: string;
  intro: string;
  none: string;
  action: string;
  launchedBy: string;
  when: string;
  ticket: string;
  result: string;
  /** Who launched a run, per kind; `{name}` is the person's or automation's name. */
  origins: Record<OriginKind, string>;
  unknown: string;
  results: Record<ActivityEntry['status'], string>;
  refresh: string;
}

const strings = {
  en: {
    title: 'Recent activity', intro: 'What your IT department ran on this computer in the last 30 days.', none: 'Nothing ran on this computer in the last 30 days.',
    action: 'Action', launchedBy: 'Launched by', when: 'When', ticket: 'Ticket', result: 'Result',
    origins: { person: '{name}', api: 'An integration ({name})', schedule: 'A schedule', detection: 'An automatic detection rule', campaign: 'A campaign', self_service: 'You ({name}), self-service' },
    unknown: 'Not recorded',
    results: { running: 'Running', succeeded: 'Succeeded', failed: 'Failed', timed_out: 'Took too long', canceled: 'Canceled', refused: 'Refused by this computer' },
    refresh: 'Refresh',
  },
  fr: {
    title: 'Activité récente', intro: 'Ce que votre service informatique a lancé sur cet ordinateur ces 30 derniers jours.', none: 'Rien n’a été lancé sur cet ordinateur ces 30 derniers jours.',
    action: 'Action', launchedBy: 'Lancée par', when: 'Quand', ticket: 'Ticket', result: 'Résultat',
    origins: { person: '{name}', api: 'Une intégration ({name})', schedule: 'Une planification', detection: 'Une règle de détection automatique', campaign: 'Une campagne', self_service: 'Vous ({name}), libre-service' },
    unknown: 'Non enregistré',
    results: { running: 'En cours', succeeded: 'Réussie', failed: 'Échouée', timed_out: 'Trop longue', canceled: 'Annulée', refused: 'Refusée par cet ordinateur' },
    refresh: 'Actualiser',
  },
  de: {
    title: 'Letzte Aktivitäten', intro: 'Was Ihre IT in den letzten 30 Tagen auf diesem Computer ausgeführt hat.', none: 'In den letzten 30 Tagen wurde auf diesem Computer nichts ausgeführt.',
    action: 'Aktion', launchedBy: 'Gestartet von', when: 'Wann', ticket: 'Ticket', result: 'Ergebnis',
    origins: { person: '{name}', api: 'Eine Integration ({name})', schedule: 'Ein Zeitplan', detection: 'Eine automatische Erkennungsregel', campaign: 'Eine Kampagne', self_service: 'Sie ({name}), Self-Service' },
    unknown: 'Nicht erfasst',
    results: { running: 'Läuft', succeeded: 'Erfolgreich', failed: 'Fehlgeschlagen', timed_out: 'Zu lange', canceled: 'Abgebrochen', refused: 'Von diesem Computer abgelehnt' },
    refresh: 'Aktualisieren',
  },
  es: {
    title: 'Actividad reciente', intro: 'Lo que su departamento de TI ejecutó en este equipo en los últimos 30 días.', none: 'No se ejecutó nada en este equipo en los últimos 30 días.',
    action: 'Acción', launchedBy: 'Iniciada por', when: 'Cuándo', ticket: 'Ticket', result: 'Resultado',
    origins: { person: '{name}', api: 'Una integración ({name})', schedule: 'Una programación', detection: 'Una regla de detección automática', campaign: 'Una campaña', self_service: 'Usted ({name}), autoservicio' },
    unknown: 'No registrado',
    results: { running: 'En curso', succeeded: 'Correcta', failed: 'Fallida', timed_out: 'Demasiado larga', canceled: 'Cancelada', refused: 'Rechazada por este equipo' },
    refresh: 'Actualizar',
  },
} satisfies Record<string, ActivityStrings> & { en: ActivityStrings };

export const activityStrings = (language: string | undefined): ActivityStrings => stringsFor<ActivityStrings>(strings, language);

/** Who launched a run, in words: a person by name, automation by kind, the user themself for self-service. */
export function originText(s: ActivityStrings, entry: Pick<ActivityEntry, 'origin'>): string {
  if (!entry.origin) return s.unknown;
  // a person's label (`user:ana@example.com`) reads better without its prefix
  const name = entry.origin.name.replace(/^(user|client|device-user):/, '');
  return s.origins[entry.origin.kind].replace('{name}', name);
}
