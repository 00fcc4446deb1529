/** @module Bar charts as tables: every number is text a screen reader reads in order; the bars only repeat it. */
import { formatShare, npsBandOf, type BarRow } from '../lib/charts';

export interface BarChartProps {
  caption: string;
  rows: readonly BarRow[];
  /** Header of the first column, e.g. "Answer". */
  labelHeader?: string;
  /** Hide the share column (when shares would not add up, say so in the caption instead). */
  shares?: boolean;
}

export function BarChart({ caption, rows, labelHeader = 'Answer', shares = true }: BarChartProps) {
  return (
    <table class="bar-chart">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{labelHeader}</th>
          <th scope="col" class="num">
            Count
          </th>
          {shares ? (
            <th scope="col" class="num">
              Share
            </th>
          ) : null}
          <th scope="col" class="bar-col">
            <span class="visually-hidden">Bar</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td class="num">{r.count}</td>
            {shares ? <td class="num">{formatShare(r.share)}</td> : null}
            <td class="bar-col" aria-hidden="true">
              <span class="bar" style={`width: ${(r.width * 100).toFixed(1)}%`} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface NpsScoreProps {
  score: number | null;
  promoters: number;
  passives: number;
  detractors: number;
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const bandWords = { poor: 'needs work', good: 'good', excellent: 'excellent' } as const;

/** The NPS score on its −100…100 scale, with promoters, passives and detractors. */
export function NpsScore({ score, promoters, passives, detractors }: NpsScoreProps) {
  const total = promoters + passives + detractors;
  if (score === null || total === 0) return <p class="muted">No NPS answers yet.</p>;
  const band = npsBandOf(score);
  const x = ((score + 100) / 200) * 300;
  return (
    <div class="nps">
      <p class="nps-score">
        NPS <strong>{Math.round(score)}</strong> <span class={`nps-band ${band}`}>({bandWords[band]})</span>
      </p>
      <svg viewBox="0 0 300 34" class="nps-scale" role="img" aria-label={`NPS ${Math.round(score)} on a scale from −100 to 100`}>
        <rect x="0" y="8" width="150" height="10" fill="#fecaca" />
        <rect x="150" y="8" width="75" height="10" fill="#fde68a" />
        <rect x="225" y="8" width="75" height="10" fill="#bbf7d0" />
        <line x1={x} x2={x} y1="2" y2="24" stroke="#1d2433" stroke-width="3" />
        <text x="0" y="33" font-size="9" fill="#4b5563">
          −100
        </text>
        <text x="150" y="33" font-size="9" fill="#4b5563" text-anchor="middle">
          0
        </text>
        <text x="300" y="33" font-size="9" fill="#4b5563" text-anchor="end">
          100
        </text>
      </svg>
      <p class="small">
        {count(promoters, 'promoter')} (9–10), {count(passives, 'passive')} (7–8), {count(detractors, 'detractor')} (0–6) of {count(total, 'answer')}.
      </p>
    </div>
  );
}
