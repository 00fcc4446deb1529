/** @module Runs a screen's one-off requests (delete, revoke, rotate, send a test) and keeps the last failure to show. */
import { useState } from 'preact/hooks';
import { showNotice } from '../stores/notice';

export interface Action {
  /** The last request's failure; a new request clears it. */
  error: unknown;
  /**
   * Runs `request`, catching its failure into `error`, so a button's handler never throws. On success it shows
   * `notice`, when given, and calls the hook's `onDone` (usually the list's reload).
   */
  run: (request: () => Promise<unknown>, notice?: string) => Promise<void>;
}

/** @example const action = useAction(users.reload); action.run(() => usersApi.remove(id), 'User deleted.'); */
export function useAction(onDone?: () => void): Action {
  const [error, setError] = useState<unknown>(null);
  const run = async (request: () => Promise<unknown>, notice?: string) => {
    setError(null);
    try {
      await request();
    } catch (e) {
      return setError(e);
    }
    if (notice) showNotice(notice);
    onDone?.();
  };
  return { error, run };
}
