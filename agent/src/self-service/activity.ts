/**
 * @module What the journal keeps of a run for the activity view, and the view's entries read back from it: the
 * action, who launched it (signed in the envelope), when, the result, and the parameters with secret ones hidden.
 */
import { activityWindowDays, maxActivityEntries, type ActivityEntry, type EnvelopePayload } from '@fixpoint/protocol';
import type { JournalEntry, StartInfo } from '../state/journal';

/** Longest parameter value the view shows; the rest is cut with an ellipsis. */
const maxShownValue = 200;

/** The journal's start record of a run: secret values never reach the journal, only `***`. */
export function journalStart(p: Pick<EnvelopePayload, 'actionSlug' | 'expiresAt' | 'origin' | 'parameters' | 'secretParameters'>): StartInfo {
  const secret = new Set(p.secretParameters);
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(p.parameters)) {
    const text = secret.has(name) ? '***' : String(value);
    parameters[name] = text.length > maxShownValue ? `${text.slice(0, maxShownValue - 1)}…` : text;
  }
  return { action: p.actionSlug, expiresAt: p.expiresAt, origin: p.origin, parameters };
}

/** One journal entry as the activity view lists it. */
export function toActivityEntry(e: JournalEntry): ActivityEntry {
  const status = e.refused ? 'refused' : (e.result?.status ?? 'running');
  return {
    executionId: e.id,
    action: e.action.slice(0, 100),
    origin: e.origin ?? null,
    startedAt: e.startedAt,
    finishedAt: e.result?.at ?? null,
    status,
    exitCode: e.result?.exitCode ?? null,
    parameters: e.parameters ?? {},
  };
}

/** The view's entries: runs of the last {@link activityWindowDays} days, newest first. */
export function activitySince(journal: { activity(since: Date, max: number): JournalEntry[] }, now: Date): ActivityEntry[] {
  const since = new Date(now.getTime() - activityWindowDays * 86_400_000);
  return journal.activity(since, maxActivityEntries).map(toActivityEntry);
}
