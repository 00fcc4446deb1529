/** @module A message that outlives a navigation ("Action saved") and the polite live region that reads it out. */
import { signal } from '@preact/signals';

export interface Notice {
  text: string;
  kind: 'success' | 'info';
  /** The page it belongs to; leaving that page clears it. */
  path: string;
}

export const notice = signal<Notice | null>(null);
/** What screen readers hear after a page change or an update that does not move focus. */
export const announcement = signal('');

/** Shows a notice on the current page, or on `path` when the caller navigates there next (save, then open the saved item). */
export function showNotice(text: string, kind: Notice['kind'] = 'success', path = window.location.pathname): void {
  notice.value = { text, kind, path };
  announce(text);
}

export function announce(text: string): void {
  // Clearing first makes the same message be read again.
  announcement.value = '';
  queueMicrotask(() => {
    announcement.value = text;
  });
}

/** Called on each page change: drops a notice that belongs to another page. */
export function expireNotice(pathname: string): void {
  if (notice.value && notice.value.path !== pathname) notice.value = null;
}
