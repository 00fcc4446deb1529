/** @module Save errors of the automation forms: field errors, the API's message, and a summary that takes focus. */
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { ErrorMessage } from '../../components/Feedback';
import { readQueryError, type PositionedError } from '../../components/QueryEditor';
import { detailsToErrors, summarizeErrors, type FieldErrors } from '../../lib/form-errors';

export function useSaveErrors() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const summary = useRef<HTMLDivElement>(null);
  const focus = () => queueMicrotask(() => summary.current?.focus());
  return {
    errors,
    error,
    summary,
    reset() {
      setErrors({});
      setError(null);
    },
    fail(next: FieldErrors) {
      setErrors(next);
      focus();
    },
    /** Shows an API failure; a query error comes back positioned on `queryText`, for the query field to underline. */
    failApi(e: unknown, queryText: string): PositionedError | null {
      setError(e);
      if (e instanceof ApiError && e.code === 'validation_failed') setErrors(detailsToErrors(e.details));
      focus();
      const positioned = readQueryError(e);
      return positioned ? { error: positioned, text: queryText } : null;
    },
  };
}

export type SaveErrors = ReturnType<typeof useSaveErrors>;

export function ErrorSummary({ saving }: { saving: SaveErrors }) {
  const lines = summarizeErrors(saving.errors);
  return (
    <div tabIndex={-1} ref={saving.summary}>
      <ErrorMessage error={saving.error} title="Could not save" />
      {lines.length && !saving.error ? (
        <div class="alert alert-error" role="alert">
          <div>
            Fix {lines.length === 1 ? 'this' : `these ${lines.length} problems`} before saving:
            <ul class="error-list">
              {lines.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
    </div>
  );
}
