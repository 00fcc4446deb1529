/** @module A message that outlives a navigation ("Action saved") and the polite live region that reads it out. */
import { signal } from '@preact/signals';

export interface Notice {
  text: string;
  kind: 'success' | 'info';
  /** When it was raised: a navigation right after keeps it (save, then go to the saved page); later ones clear it. */
  at: number;
}

export const notice = signal<Notice | null>(null);
/** What screen readers hear after a page change or an update that does not move focus. */
export const announcement = signal('');

export function showNotice(text: string, kind: Notice['kind'] = 'success'): void {
  notice.value = { text, kind, at: Date.now() };
  announce(text);
}

export function announce(text: string): void {
  // Clearing first makes the same message be read again.
  announcement.value = '';
  queueMicrotask(() => {
    announcement.value = text;
  });
}

/** Called on each page change: drops a notice that belongs to an earlier page. */
export function expireNotice(now = Date.now()): void {
  if (notice.value && now - notice.value.at > 1500) notice.value = null;
}
