/** @module Error, empty and loading states shared by every screen. */
import type { ComponentChildren } from 'preact';
import { errorMessage } from '../api/client';
import { summarizeErrors, type FieldErrors } from '../lib/form-errors';

export interface ErrorMessageProps {
  error: unknown;
  /** What failed, e.g. "Could not save the action". */
  title?: string;
}

/** The backend's `{error:{message}}`, announced at once. */
export function ErrorMessage({ error, title }: ErrorMessageProps) {
  if (!error) return null;
  return (
    <div class="alert alert-error" role="alert">
      {title ? <strong>{title}: </strong> : null}
      {errorMessage(error)}
    </div>
  );
}

export interface EmptyStateProps {
  title: string;
  children: ComponentChildren;
}

/** Says why a list is empty and what to do next. */
export function EmptyState({ title, children }: EmptyStateProps) {
  return (
    <div class="empty">
      <h2>{title}</h2>
      <div>{children}</div>
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="loading" role="status">
      {label}
    </p>
  );
}

export interface ListStateProps {
  /** The list's load (see `useLoad`). */
  load: { data: { items: readonly unknown[] } | undefined; error: unknown; loading: boolean };
  /** Another error to show when the load has none, e.g. a failed create. */
  error?: unknown;
  /** Shown when the list loaded empty. */
  children: ComponentChildren;
}

/** What a list screen shows besides its rows: an error, "Loading…" until the first answer, and its empty state. */
export function ListState({ load, error, children }: ListStateProps) {
  return (
    <>
      <ErrorMessage error={load.error ?? error} />
      {load.loading && !load.data ? <Loading /> : null}
      {load.data && load.data.items.length === 0 ? children : null}
    </>
  );
}

/** What to fix in a form, one line per field error; nothing when there is none. */
export function FormErrors({ errors }: { errors: FieldErrors }) {
  const lines = summarizeErrors(errors);
  if (!lines.length) return null;
  return (
    <div class="alert alert-error" role="alert">
      <ul class="error-list">
        {lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
    </div>
  );
}
