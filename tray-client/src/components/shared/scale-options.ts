import type { RenderedQuestion } from '@fixpoint/protocol';
import type { RadioOption } from './radio-question';

/** The points of a scale or NPS question, the end points carrying their labels for screen readers. */
export function scaleOptions(q: RenderedQuestion): RadioOption[] {
  const min = q.min ?? 0;
  const max = q.max ?? 10;
  return Array.from({ length: Math.max(max - min + 1, 0) }, (_, i) => {
    const n = String(min + i);
    const label = i === 0 ? q.minLabel : min + i === max ? q.maxLabel : undefined;
    return { id: n, label: n, ariaLabel: label ? `${n}, ${label}` : n };
  });
}
