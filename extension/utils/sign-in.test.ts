import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { sampleMe } from '@fixpoint/launcher/testing/samples';
import { signInWithPassword, signInWithSession, signInWithToken, signOut } from './sign-in';
import { loadAuth } from './storage';

/** The extension-token answer as the backend sends it (a CreatedToken). */
const createdToken = (token: string, expiresAt: string) => ({
  id: '6c1f7a52-3e2b-4f0a-9d8c-7b6a5e4d3c2b', name: 'Browser extension', prefix: token.slice(0, 11), permissions: ['actions:run'],
  token, expiresAt, lastUsedAt: null, createdAt: '2026-12-01T00:00:00.000Z',
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const backendUrl = 'https://fp.acme.example';

beforeEach(() => fakeBrowser.reset());

describe('sign-in', () => {
  it('exchanges email and password for a token and keeps only the token', async () => {
    const fetch = vi.fn(async (url: string, init: RequestInit) => {
      if (url.endsWith('/auth/login')) return json({ ok: true });
      if (url.endsWith('/auth/extension-token')) return json(createdToken('fp_pat_from_login', '2027-01-01T00:00:00.000Z'));
      expect((init.headers as Record<string, string>).authorization).toBe('Bearer fp_pat_from_login');
      return json(sampleMe());
    });
    const auth = await signInWithPassword({ storage: fakeBrowser.storage.local, backendUrl, fetch: fetch as unknown as typeof globalThis.fetch }, ' beth@acme.example ', 'correct horse battery');
    expect(auth).toEqual({ token: 'fp_pat_from_login', expiresAt: '2027-01-01T00:00:00.000Z', name: 'Beth Anglin', email: 'beth@acme.example' });
    const stored = await fakeBrowser.storage.local.get(null);
    expect(JSON.stringify(stored)).not.toContain('correct horse');
    expect(await loadAuth(fakeBrowser.storage.local, new Date('2026-12-01T00:00:00Z'))).toMatchObject({ token: 'fp_pat_from_login' });
    expect(await loadAuth(fakeBrowser.storage.local, new Date('2027-02-01T00:00:00Z'))).toBeNull();
  });

  it('reports a wrong password without storing anything', async () => {
    const fetch = vi.fn(async () => json({ error: { code: 'unauthenticated', message: 'Wrong email or password' } }, 401));
    await expect(signInWithPassword({ storage: fakeBrowser.storage.local, backendUrl, fetch }, 'beth@acme.example', 'nope')).rejects.toThrow('Wrong email or password');
    expect(await loadAuth(fakeBrowser.storage.local)).toBeNull();
  });

  it('explains that a console session is needed first', async () => {
    const fetch = vi.fn(async () => new Response('', { status: 401 }));
    await expect(signInWithSession({ storage: fakeBrowser.storage.local, backendUrl, fetch })).rejects.toThrow(/sign in on the Fixpoint page first/);
  });

  it('checks a pasted token before keeping it, and signs out', async () => {
    const deps = { storage: fakeBrowser.storage.local, backendUrl, fetch: vi.fn(async () => json(sampleMe())) };
    await expect(signInWithToken(deps, 'two words')).rejects.toThrow(/does not look like/);
    expect(await signInWithToken(deps, '  fp_pat_pasted_token\n')).toMatchObject({ token: 'fp_pat_pasted_token', name: 'Beth Anglin' });
    await signOut(fakeBrowser.storage.local);
    expect(await loadAuth(fakeBrowser.storage.local)).toBeNull();
    deps.fetch.mockResolvedValueOnce(json({ error: { code: 'unauthenticated', message: 'Invalid token' } }, 401));
    await expect(signInWithToken(deps, 'fp_pat_revoked')).rejects.toThrow('Invalid token');
    expect(await loadAuth(fakeBrowser.storage.local)).toBeNull();
  });
});
