/**
 * @module Following a campaign's branching with a set of answers, and checking answers against the definition.
 * The tray prompt uses the walk to pick the next question; the backend uses the same walk to accept only answers
 * that follow the branching, so both agree on which questions a user saw.
 */
import type { CampaignDefinition, Question } from './campaigns';

/** Answers per question id: choice ids for single and multiple, one number (as text) for scale and NPS. */
export type Answers = Readonly<Record<string, readonly string[]>>;
/** Free-text answers per text question id. */
export type FreeText = Readonly<Record<string, string>>;
export type NpsBand = 'promoter' | 'passive' | 'detractor';

type Walkable = Pick<CampaignDefinition, 'questions'>;

/** 9–10 promoter, 7–8 passive, 0–6 detractor. */
export function npsBand(score: number): NpsBand {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

/** Whether a question blocks the way until it has an answer (info and optional text do not). */
export function needsAnswer(q: Question): boolean {
  return q.type === 'info' ? false : q.type === 'text' ? q.required : true;
}

/** Whether `answers`/`freeText` hold an answer for the question (not whether it is a valid one). */
export function hasAnswer(q: Question, answers: Answers, freeText: FreeText = {}): boolean {
  if (q.type === 'text') return (freeText[q.id] ?? '').trim().length > 0;
  if (q.type === 'info') return false;
  return (answers[q.id]?.length ?? 0) > 0;
}

/**
 * Where a question leads with the given answers: a question id or `end`. A choice or NPS band branch wins over
 * the question's own `next`, which wins over the following question.
 */
export function nextQuestionId(c: Walkable, questionId: string, answers: Answers): string {
  const index = c.questions.findIndex((q) => q.id === questionId);
  const q = c.questions[index];
  if (!q) return 'end';
  const first = answers[q.id]?.[0];
  let next: string | undefined;
  if (q.type === 'single' && first !== undefined) next = q.choices.find((ch) => ch.id === first)?.next;
  if (q.type === 'nps' && first !== undefined && /^\d{1,2}$/.test(first)) next = q.branches[npsBand(Number(first))];
  next ??= q.next;
  return next ?? c.questions[index + 1]?.id ?? 'end';
}

export interface CampaignTrace {
  /** Question ids in the order they are shown, up to the first one still waiting for an answer, or to the end. */
  path: string[];
  /** True when the path reaches the end: every question on it that needs an answer has one. */
  complete: boolean;
}

/** Walks the campaign from its first question with the given answers. See `walkCampaign`. */
export function traceCampaign(c: Walkable, answers: Answers, freeText: FreeText = {}): CampaignTrace {
  const index = new Map(c.questions.map((q, i) => [q.id, i]));
  const path: string[] = [];
  let i = 0;
  while (i < c.questions.length) {
    const q = c.questions[i]!;
    path.push(q.id);
    if (needsAnswer(q) && !hasAnswer(q, answers, freeText)) return { path, complete: false };
    const next = nextQuestionId(c, q.id, answers);
    if (next === 'end') return { path, complete: true };
    const j = index.get(next);
    // a valid definition only branches forward; stop rather than loop on one that does not
    if (j === undefined || j <= i) return { path, complete: false };
    i = j;
  }
  return { path, complete: true };
}

/**
 * The ids of the questions actually shown for these answers, in order. The last one is the question waiting for
 * an answer, unless the walk reached the end.
 * @example walkCampaign(campaign, { q1: ['yes'] }) // → ['q1', 'q3'] when choice `yes` branches to q3
 */
export function walkCampaign(c: Walkable, answers: Answers, freeText: FreeText = {}): string[] {
  return traceCampaign(c, answers, freeText).path;
}

export interface AnswerProblem {
  /** The question the problem is about, when there is one. */
  questionId?: string;
  message: string;
}

export interface ValidateAnswersOptions {
  freeText?: FreeText;
  /** Require the walk to reach the end (a `fully` response). */
  complete?: boolean;
}

const integerText = /^-?\d{1,3}$/;

function checkOne(q: Question, values: readonly string[]): string | null {
  switch (q.type) {
    case 'single':
      if (values.length !== 1) return 'choose exactly one answer';
      return q.choices.some((ch) => ch.id === values[0]) ? null : `${values[0]} is not one of its choices`;
    case 'multiple': {
      if (values.length === 0) return 'choose at least one answer';
      if (new Set(values).size !== values.length) return 'a choice is given twice';
      const unknown = values.find((v) => !q.choices.some((ch) => ch.id === v));
      return unknown === undefined ? null : `${unknown} is not one of its choices`;
    }
    case 'scale':
    case 'nps': {
      const [min, max] = q.type === 'scale' ? [q.min, q.max] : [0, 10];
      if (values.length !== 1 || !integerText.test(values[0]!)) return `answer with one whole number from ${min} to ${max}`;
      const n = Number(values[0]);
      return n >= min && n <= max ? null : `${n} is outside ${min}–${max}`;
    }
    case 'text':
      return 'a text question takes its answer in freeText';
    case 'info':
      return 'an info message takes no answer';
  }
}

/**
 * Checks answers against a campaign: unknown question ids, wrong choice ids, a multiple choice with nothing
 * chosen, a number out of range, free text over the question's maxLength, and answers to questions the branching
 * skips. With `complete`, the answers must also reach the end of the campaign.
 */
export function validateAnswers(
  c: Walkable,
  answers: Answers,
  options: ValidateAnswersOptions = {},
): { ok: boolean; problems: AnswerProblem[] } {
  const freeText = options.freeText ?? {};
  const problems: AnswerProblem[] = [];
  const byId = new Map(c.questions.map((q) => [q.id, q]));
  for (const [id, values] of Object.entries(answers)) {
    const q = byId.get(id);
    if (!q) problems.push({ questionId: id, message: `there is no question ${id}` });
    else {
      const problem = checkOne(q, values);
      if (problem) problems.push({ questionId: id, message: `question ${id}: ${problem}` });
    }
  }
  for (const [id, text] of Object.entries(freeText)) {
    const q = byId.get(id);
    if (!q) problems.push({ questionId: id, message: `there is no question ${id}` });
    else if (q.type !== 'text') problems.push({ questionId: id, message: `question ${id} is not a text question` });
    else if ([...text].length > q.maxLength) problems.push({ questionId: id, message: `question ${id}: the answer is longer than ${q.maxLength} characters` });
  }
  if (problems.length) return { ok: false, problems };

  const trace = traceCampaign(c, answers, freeText);
  const shown = new Set(trace.path);
  const given = [...Object.keys(answers), ...Object.keys(freeText).filter((id) => freeText[id]!.trim() !== '')];
  for (const id of new Set(given))
    if (!shown.has(id)) problems.push({ questionId: id, message: `question ${id} is not on the path these answers take` });
  if (options.complete && !trace.complete) {
    const waiting = trace.path[trace.path.length - 1];
    problems.push({ questionId: waiting, message: `question ${waiting} needs an answer` });
  }
  return { ok: problems.length === 0, problems };
}
