/** @module A query-language text box that underlines the part of the query an error is about, in place. */
import { QueryError } from '@fixpoint/protocol';
import { useId, useRef } from 'preact/hooks';
import { ApiError } from '../api/client';
import { errorSegments } from '../lib/device-query';

/** An error together with the text it was found in: the underline shows only while the text is unchanged. */
export interface PositionedError {
  error: QueryError;
  text: string;
}

/** The positioned error a query route answered with (400 `bad_request` with a QueryError as details), if any. */
export function readQueryError(error: unknown): QueryError | null {
  if (!(error instanceof ApiError) || error.code !== 'bad_request') return null;
  const parsed = QueryError.safeParse(error.details);
  return parsed.success ? parsed.data : null;
}

export interface QueryEditorProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** Ctrl+Enter (or Cmd+Enter) runs the query. */
  onRun?: () => void;
  error?: PositionedError | null;
  hint?: string;
  rows?: number;
  placeholder?: string;
  required?: boolean;
  disabled?: boolean;
}

const maxExpected = 8;

export function QueryEditor({ label, value, onInput, onRun, error, hint, rows = 3, placeholder, required, disabled }: QueryEditorProps) {
  const id = useId();
  const backdrop = useRef<HTMLDivElement>(null);
  const current = error && error.text === value ? error.error : null;
  const shown = error?.error ?? null;
  const segments = current ? errorSegments(value, current) : null;
  const describedBy = [hint ? `${id}-hint` : null, shown ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field query-field${shown ? ' has-error' : ''}`}>
      <label for={id}>
        {label}
        {required ? <span class="required"> (required)</span> : null}
      </label>
      <div class="query-box">
        {/* The same text, transparent, behind the textarea: only the underline of the error span shows through. */}
        <div class="query-backdrop" ref={backdrop} aria-hidden="true">
          {segments ? (
            <>
              {segments.before}
              <mark class={segments.marked ? 'query-mark' : 'query-mark point'}>{segments.marked}</mark>
              {segments.after}
            </>
          ) : (
            value
          )}
          {'\n'}
        </div>
        <textarea
          id={id}
          class="query-input"
          rows={rows}
          value={value}
          spellcheck={false}
          autoComplete="off"
          placeholder={placeholder}
          required={required}
          disabled={disabled}
          aria-invalid={shown ? true : undefined}
          aria-describedby={describedBy}
          onInput={(e) => onInput(e.currentTarget.value)}
          onScroll={(e) => {
            if (backdrop.current) backdrop.current.scrollTop = e.currentTarget.scrollTop;
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && onRun) {
              e.preventDefault();
              onRun();
            }
          }}
        />
      </div>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {shown ? (
        <div class="field-error" id={`${id}-error`} data-testid="query-error">
          <span>
            {/^line \d+/.test(shown.message) ? '' : `Line ${shown.line}, column ${shown.column}: `}
            {shown.message.replace(/^line/, 'Line')}
          </span>
          {shown.expected.length && !/\bexpected\b/i.test(shown.message) ? (
            <span class="query-expected">
              {' '}
              Expected {shown.expected.slice(0, maxExpected).join(', ')}
              {shown.expected.length > maxExpected ? ` and ${shown.expected.length - maxExpected} more` : ''}.
            </span>
          ) : null}
          {current ? null : <span class="query-expected"> (found before your last change)</span>}
        </div>
      ) : null}
    </div>
  );
}
