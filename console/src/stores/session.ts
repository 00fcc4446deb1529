/** @module Who is signed in. `undefined` while the first /auth/me is in flight, `null` when nobody is. */
import { signal } from '@preact/signals';
import { onUnauthenticated } from '../api/client';
import { authApi, type MeT } from '../api/resources';

export const me = signal<MeT | null | undefined>(undefined);

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
