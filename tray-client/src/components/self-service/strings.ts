/** @module The self-service window's own words, in the languages the prompt speaks (see `promptStrings`). */
import { stringsFor } from '../shared/language';

export interface SelfServiceStrings {
  title: string;
  intro: string;
  none: string;
  run: string;
  back: string;
  /** Each state of a run. */
  requested: string;
  queued: string;
  running: string;
  succeeded: string;
  /** `{code}` is the exit code. */
  failed: string;
  timedOut: string;
  canceled: string;
  /** A cooldown or the daily limit refused the run. */
  rateLimited: string;
  /** `{when}` is how long to wait, e.g. "4 minutes". */
  tryAgainIn: string;
  minutes: string;
  hours: string;
  loading: string;
}

const strings = {
  en: {
    title: 'Fix a problem', intro: 'Choose a fix your IT department offers for this computer.', none: 'Your IT department offers no fixes for this computer yet.',
    run: 'Run this fix', back: 'All fixes', requested: 'Asking to run the fix…', queued: 'The fix will start in a moment…', running: 'The fix is running…',
    succeeded: 'Done: the fix ran successfully.', failed: 'The fix did not succeed (code {code}). Your IT department can see what happened.',
    timedOut: 'The fix took too long and was stopped.', canceled: 'The fix was canceled.', tryAgainIn: 'You can run it again in {when}.',
    rateLimited: 'This fix already ran on this computer recently.',
    minutes: '{n} min', hours: '{n} h', loading: 'Loading…',
  },
  fr: {
    title: 'Résoudre un problème', intro: 'Choisissez une correction proposée par votre service informatique pour cet ordinateur.', none: 'Votre service informatique ne propose pas encore de correction pour cet ordinateur.',
    run: 'Lancer la correction', back: 'Toutes les corrections', requested: 'Demande en cours…', queued: 'La correction va démarrer…', running: 'Correction en cours…',
    succeeded: 'Terminé : la correction a réussi.', failed: 'La correction a échoué (code {code}). Votre service informatique peut voir ce qui s’est passé.',
    timedOut: 'La correction a pris trop de temps et a été arrêtée.', canceled: 'La correction a été annulée.', tryAgainIn: 'Vous pourrez la relancer dans {when}.',
    rateLimited: 'Cette correction a déjà été lancée récemment sur cet ordinateur.',
    minutes: '{n} min', hours: '{n} h', loading: 'Chargement…',
  },
  de: {
    title: 'Problem beheben', intro: 'Wählen Sie eine Lösung, die Ihre IT für diesen Computer anbietet.', none: 'Ihre IT bietet für diesen Computer noch keine Lösungen an.',
    run: 'Lösung ausführen', back: 'Alle Lösungen', requested: 'Anfrage läuft…', queued: 'Die Lösung startet gleich…', running: 'Die Lösung läuft…',
    succeeded: 'Fertig: die Lösung war erfolgreich.', failed: 'Die Lösung war nicht erfolgreich (Code {code}). Ihre IT kann sehen, was passiert ist.',
    timedOut: 'Die Lösung hat zu lange gedauert und wurde beendet.', canceled: 'Die Lösung wurde abgebrochen.', tryAgainIn: 'Sie können sie in {when} erneut ausführen.',
    rateLimited: 'Diese Lösung wurde auf diesem Computer vor Kurzem schon ausgeführt.',
    minutes: '{n} Min.', hours: '{n} Std.', loading: 'Wird geladen…',
  },
  es: {
    title: 'Solucionar un problema', intro: 'Elija una solución que su departamento de TI ofrece para este equipo.', none: 'Su departamento de TI aún no ofrece soluciones para este equipo.',
    run: 'Ejecutar la solución', back: 'Todas las soluciones', requested: 'Solicitando…', queued: 'La solución empezará enseguida…', running: 'La solución se está ejecutando…',
    succeeded: 'Listo: la solución funcionó.', failed: 'La solución no funcionó (código {code}). Su departamento de TI puede ver lo que pasó.',
    timedOut: 'La solución tardó demasiado y se detuvo.', canceled: 'La solución se canceló.', tryAgainIn: 'Podrá ejecutarla de nuevo en {when}.',
    rateLimited: 'Esta solución ya se ejecutó hace poco en este equipo.',
    minutes: '{n} min', hours: '{n} h', loading: 'Cargando…',
  },
} satisfies Record<string, SelfServiceStrings> & { en: SelfServiceStrings };

export const selfServiceStrings = (language: string | undefined): SelfServiceStrings => stringsFor<SelfServiceStrings>(strings, language);

/** "4 min", "2 h": how long until a refused fix may run again, rounded up. */
export function waitText(s: SelfServiceStrings, seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes < 120 ? s.minutes.replace('{n}', String(minutes)) : s.hours.replace('{n}', String(Math.ceil(minutes / 60)));
}
