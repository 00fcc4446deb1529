/** @module Campaign results as chart rows: answers per choice or value, response states, requests and the NPS score. */
import { localize, responseStates, type CampaignDefinition, type QuestionResult } from '@fixpoint/protocol';
import { barRows, type BarRow } from './charts';

export interface QuestionChart {
  id: string;
  title: string;
  type: string;
  answered: number;
  rows: BarRow[];
  average: number | null;
  nps?: QuestionResult['nps'];
}

/**
 * One chart per question that takes an answer: choices in the definition's order with their labels (answers to
 * choices only older versions had come last, by id), every value of a scale or NPS from low to high. Text
 * questions have no bars, only their count.
 */
export function questionCharts(definition: Pick<CampaignDefinition, 'questions' | 'defaultLanguage'>, results: readonly QuestionResult[]): QuestionChart[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  const lang = definition.defaultLanguage;
  const charts: QuestionChart[] = [];
  for (const q of definition.questions) {
    if (q.type === 'info') continue;
    const r = byId.get(q.id) ?? { id: q.id, type: q.type, answered: 0, counts: {}, average: null };
    const title = plain(localize(q.text, lang, lang));
    let entries: { key: string; label: string; count: number }[] = [];
    if (q.type === 'single' || q.type === 'multiple') {
      entries = q.choices.map((ch) => ({ key: ch.id, label: localize(ch.label, lang, lang), count: r.counts[ch.id] ?? 0 }));
      const known = new Set(q.choices.map((ch) => ch.id));
      for (const [key, count] of Object.entries(r.counts)) if (!known.has(key)) entries.push({ key, label: `${key} (earlier version)`, count });
    } else if (q.type === 'scale' || q.type === 'nps') {
      const [min, max] = q.type === 'scale' ? [q.min, q.max] : [0, 10];
      for (let v = min; v <= max; v++) entries.push({ key: String(v), label: String(v), count: r.counts[String(v)] ?? 0 });
    }
    // Shares of multiple choice are of respondents, so they can add up past 100 %.
    charts.push({ id: q.id, title, type: q.type, answered: r.answered, rows: barRows(entries, r.answered), average: r.average, ...(r.nps ? { nps: r.nps } : {}) });
  }
  return charts;
}

/** Question text without markdown marks, on one line, for a chart title. */
export function plain(markdown: string, max = 140): string {
  const text = markdown.replace(/[*_`#>]+/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const stateLabels: Record<(typeof responseStates)[number], string> = {
  fully: 'Answered',
  declined: 'Declined',
  postponed: 'Postponed',
  timeout: 'Timed out',
  expired: 'Expired',
  no_user: 'No user logged in',
  notification_failed: 'Notification failed',
  deadline_reached: 'Deadline reached',
};

/** A response state in words: `fully` → "Answered", `no_user` → "No user logged in". */
export function responseStateLabel(state: string): string {
  return stateLabels[state as (typeof responseStates)[number]] ?? state.replaceAll('_', ' ');
}

/** Response states, every state listed (zero included) so charts of two campaigns compare. */
export function stateRows(states: Readonly<Record<string, number>>): BarRow[] {
  return barRows(responseStates.map((s) => ({ key: s, label: stateLabels[s], count: states[s] ?? 0 })));
}
