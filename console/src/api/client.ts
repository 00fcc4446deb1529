/**
 * @module The console's instance of the protocol's typed client: same origin, the session cookie, and typed errors.
 * A 401 tells the session store, which sends the user to the sign-in page.
 */
import { ApiError, api, buildUrl, createApiClient, toApiError } from '@fixpoint/protocol/api';

export { ApiError, buildUrl, toApiError };

let unauthenticatedHandler: (() => void) | undefined;

/** Called on every 401 except from sign-in itself, whose 401 means a wrong password. */
export function onUnauthenticated(handler: () => void): void {
  unauthenticatedHandler = handler;
}

export const client = createApiClient({
  baseUrl: '',
  credentials: 'same-origin',
  networkMessage: 'the server cannot be reached; check your connection and try again',
  onError: (error, endpoint) => {
    if (error.status === 401 && endpoint !== api.auth.login) unauthenticatedHandler?.();
  },
});

/** The message to show for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
