/** @module Campaign answers as text, for lists of responses (kept apart from the chart code and its protocol imports). */

/** Answers as short lines: `q1: yes`, `why: slow, crashes`, `details: "text…"`. */
export function describeAnswers(answers: Readonly<Record<string, readonly string[]>>, freeText: Readonly<Record<string, string>>, max = 120): string[] {
  const cut = (s: string) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
  return [
    ...Object.entries(answers).map(([q, values]) => cut(`${q}: ${values.join(', ')}`)),
    ...Object.entries(freeText).map(([q, text]) => cut(`${q}: “${text.replace(/\s+/g, ' ')}”`)),
  ];
}
