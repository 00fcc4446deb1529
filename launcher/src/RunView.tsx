/** @module A launched run: live status, then exit code, outputs and output tail, with copy and insert-into-ticket. */
import type { ActionWithVersion, Device } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { formatSummary, outputRows, statusLabel, statusTone } from './launcher-logic';
import type { InsertOutcome } from './launcher-api';
import type { RunState } from './launcher-store';

export interface RunViewProps {
  run: RunState;
  action: ActionWithVersion;
  device: Device;
  /** Copies text; the host decides how (clipboard API, fallback). */
  onCopy?: (text: string) => Promise<void>;
  /** Inserts text into the ticket's comment box and says whether it is there. Hidden when absent. */
  onInsert?: (text: string) => InsertOutcome | Promise<InsertOutcome>;
  onAgain(): void;
}

const insertNotes: Record<InsertOutcome, string> = {
  inserted: 'Inserted into the ticket',
  'no-box': 'This ticket shows no comment box that can take text.',
  'not-taken': 'The comment box did not keep the text.',
};

export function RunView({ run, action, device, onCopy, onInsert, onAgain }: RunViewProps) {
  const [note, setNote] = useState('');
  // After an insert that did not land, the note offers the clipboard instead.
  const [offerCopy, setOfferCopy] = useState(false);
  const execution = run.execution;
  const summary = execution ? formatSummary(action, device, execution) : '';
  const act = async (what: 'copy' | 'insert') => {
    setOfferCopy(false);
    try {
      if (what === 'copy') {
        await onCopy!(summary);
        setNote('Copied to the clipboard');
      } else {
        const outcome = await onInsert!(summary);
        setNote(insertNotes[outcome]);
        setOfferCopy(outcome !== 'inserted' && !!onCopy);
      }
    } catch {
      setNote(what === 'copy' ? 'Copying failed' : 'Inserting failed; the ticket was not changed');
      setOfferCopy(what === 'insert' && !!onCopy);
    }
  };
  return (
    <section class="fp-card" aria-label={`Run of ${action.name}`}>
      <div class="fp-row" role="status" aria-live="polite">
        <strong>{action.name}</strong>
        {run.phase === 'launching' && <span class="fp-muted">Launching…</span>}
        {run.status && <span class={`fp-badge fp-tone-${statusTone(run.status)}`}>{statusLabel(run.status)}</span>}
      </div>
      {run.error && <p class="fp-error" role="alert">{run.error}</p>}
      {execution && (
        <>
          <dl class="fp-facts">
            {execution.exitCode !== null && (
              <>
                <dt>Exit code</dt>
                <dd>{execution.exitCode}</dd>
              </>
            )}
            {execution.error && (
              <>
                <dt>Error</dt>
                <dd>{execution.error}</dd>
              </>
            )}
            {outputRows(execution, action.current.outputs).map(([name, value]) => (
              <>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </>
            ))}
          </dl>
          {execution.stdoutTail && <pre aria-label="Output">{execution.stdoutTail}</pre>}
          {execution.stderrTail && <pre aria-label="Errors">{execution.stderrTail}</pre>}
          <div class="fp-actions-bar">
            {onCopy && <button type="button" onClick={() => act('copy')}>Copy result</button>}
            {onInsert && <button type="button" onClick={() => act('insert')}>Insert into ticket</button>}
          </div>
        </>
      )}
      {note && (
        <p class="fp-muted" role="status">
          {note}
          {offerCopy && (
            <>
              {' '}
              <button type="button" onClick={() => act('copy')}>Copy instead</button>
            </>
          )}
        </p>
      )}
      {(run.phase === 'done' || run.phase === 'failed') && (
        <div class="fp-actions-bar">
          <button type="button" onClick={onAgain}>{run.phase === 'failed' ? 'Back to the form' : 'Run again'}</button>
        </div>
      )}
    </section>
  );
}
