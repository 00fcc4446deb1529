import type { DiffHunk } from '@fixpoint/protocol';

export interface DiffViewProps {
  /** The changes with their context (`toHunks`); unchanged stretches are left out. */
  hunks: readonly DiffHunk[];
  /** Names of the two sides, e.g. "version 2" and "version 3". */
  from: string;
  to: string;
}

const marks = { same: ' ', add: '+', del: '−' } as const;
const spoken = { same: '', add: 'added: ', del: 'removed: ' } as const;

/** A unified diff in hunks. Added and removed lines carry a sign and hidden words, not only colour. */
export function DiffView({ hunks, from, to }: DiffViewProps) {
  if (hunks.length === 0) return <p class="muted">{`No differences between ${from} and ${to}.`}</p>;
  return (
    <div class="diff" role="region" aria-label={`Changes from ${from} to ${to}`} tabIndex={0}>
      {hunks.map((h, i) => (
        <div key={i} class="hunk">
          <div class="hunk-header">
            @@ {from} line {h.oldStart}, {to} line {h.newStart} @@
          </div>
          {h.lines.map((l, j) => (
            <div key={j} class={`diff-line ${l.kind}`}>
              <span class="ln" aria-hidden="true">
                {l.oldNo ?? ''}
              </span>
              <span class="ln" aria-hidden="true">
                {l.newNo ?? ''}
              </span>
              <span class="mark" aria-hidden="true">
                {marks[l.kind]}
              </span>
              <span class="visually-hidden">{spoken[l.kind]}</span>
              <code>{l.text || ' '}</code>
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
