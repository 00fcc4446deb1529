/** @module Test helpers for sign-in flows: a session cookie for a user, raw SQL for tamper tests. */
import type { TestBackend } from './harness';

export const adminEmail = 'admin@fixpoint.local';
export const adminPassword = 'admin-password-123';

/** Signs in through POST /auth/login and returns the `cookie` header to send back, plus the response. */
export async function signIn(t: TestBackend, email = adminEmail, password = adminPassword) {
  const res = await t.app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  return { status: res.status, body: (await res.json()) as any, setCookie, headers: { cookie } };
}

const seedSessions = new WeakMap<TestBackend, Promise<Record<string, string>>>();

/** The seeded admin's session headers, signed in once per backend (no extra admin is created, unlike `as('admin')`). */
export function seedAdmin(t: TestBackend): Promise<Record<string, string>> {
  let headers = seedSessions.get(t);
  if (!headers) seedSessions.set(t, (headers = signIn(t).then((s) => s.headers)));
  return headers;
}

/** Creates a user with a password through the API (as the seeded admin) and returns its id. */
export async function createUser(t: TestBackend, email: string, roles: string[], password = 'correct-horse-battery'): Promise<string> {
  const res = await t.call('POST', '/api/v1/users', { headers: await seedAdmin(t), body: { email, name: email, password, roles } });
  if (res.status !== 201) throw new Error(`createUser: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Runs raw SQL on either database kind and returns the rows. */
export async function rawQuery(t: TestBackend, text: string): Promise<Record<string, unknown>[]> {
  const result = (await t.ctx.db.execute(text)) as unknown as { rows?: Record<string, unknown>[] } | Record<string, unknown>[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

/** Moves the backend clock forward by `ms`, keeping it moving with real time. */
export function advanceClock(t: TestBackend, ms: number): void {
  const previous = t.ctx.now;
  t.ctx.now = () => new Date(previous().getTime() + ms);
}
