/** @module Error, empty and loading states shared by every screen. */
import type { ComponentChildren } from 'preact';
import { errorMessage } from '../api/client';

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
