/**
 * @module
 * The three ways the options page signs the extension in. Each ends the same way: a personal access token that
 * the backend accepted (checked with /auth/me) is stored with the user's name. Only the token is kept; passwords and
 * session cookies are not.
 */
import { ApiError, createApiClient } from './api-client';
import type { Auth } from './settings';
import { saveAuth, type StorageArea } from './storage';

export interface SignInDeps {
  storage: StorageArea;
  backendUrl: string;
  fetch?: typeof fetch;
}

async function keep(deps: SignInDeps, token: string, expiresAt: string | null): Promise<Auth> {
  const me = await createApiClient({ baseUrl: deps.backendUrl, token, fetch: deps.fetch }).me();
  const auth: Auth = { token, expiresAt, name: me.name, email: me.email };
  await saveAuth(deps.storage, auth);
  return auth;
}

/** Email and password: signs in (session cookie), then exchanges the session for an extension token. */
export async function signInWithPassword(deps: SignInDeps, email: string, password: string): Promise<Auth> {
  const client = createApiClient({ baseUrl: deps.backendUrl, fetch: deps.fetch });
  await client.login(email.trim(), password);
  const created = await client.createExtensionToken();
  return keep(deps, created.token, created.expiresAt ?? null);
}

/** Uses the browser's existing console session (after signing in on the backend's own page). */
export async function signInWithSession(deps: SignInDeps): Promise<Auth> {
  const client = createApiClient({ baseUrl: deps.backendUrl, fetch: deps.fetch });
  try {
    const created = await client.createExtensionToken();
    return await keep(deps, created.token, created.expiresAt ?? null);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw new ApiError(401, 'unauthenticated', 'No console session yet: sign in on the Fixpoint page first');
    throw err;
  }
}

/** A personal access token created in the console and pasted here. */
export async function signInWithToken(deps: SignInDeps, token: string): Promise<Auth> {
  const trimmed = token.trim();
  if (trimmed.length < 8 || trimmed.length > 500 || /\s/.test(trimmed)) throw new ApiError(0, 'validation_failed', 'That does not look like a Fixpoint token');
  return keep(deps, trimmed, null);
}

export async function signOut(storage: StorageArea): Promise<void> {
  await saveAuth(storage, null);
}
