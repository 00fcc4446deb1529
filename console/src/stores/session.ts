/** @module Who is signed in. `undefined` while the first /auth/me is in flight, `null` when nobody is. */
import { signal } from '@preact/signals';
import { onUnauthenticated } from '../api/client';
import { authApi, type MeT } from '../api/resources';
import type { Features } from '../router/routes';

export const me = signal<MeT | null | undefined>(undefined);

/**
 * Pages of backend parts that are not served yet stay hidden. Turning one on makes its routes match and its
 * navigation entry appear for callers with the right permission. Every part the console knows is served now.
 */
export const features = signal<Features>({ devices: true, executions: true });

export async function loadMe(): Promise<void> {
  try {
    me.value = await authApi.me();
  } catch {
    me.value = null;
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  me.value = await authApi.login(email, password);
}

export async function signOut(): Promise<void> {
  try {
    await authApi.logout();
  } finally {
    me.value = null;
  }
}

/** A 401 anywhere means the session ended (expired, revoked, user disabled): show the sign-in page. */
export function watchSession(): void {
  onUnauthenticated(() => {
    me.value = null;
  });
}
