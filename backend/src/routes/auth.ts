/** @module Sign-in and sign-out for the console, the caller's identity, the extension token and the OAuth2 token endpoint. */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { z } from 'zod';
import {
  CreatedToken,
  CredentialsEnded,
  ExtensionTokenRequest,
  LoginRequest,
  Me,
  PasswordChange,
  TokenRequest,
  TokenResponse,
} from '@fixpoint/protocol';
import { AppError, badRequest } from '../errors';
import { describeIssues, route, type AppEnv } from '../http/route';
import {
  changeOwnPassword,
  issueClientToken,
  issueExtensionToken,
  login,
  logout,
  sessionCookie,
  sessionTtlMs,
  toMe,
} from '../services/identity';

// Behind a TLS-terminating proxy the request URL is http; trusting the header here can only add `Secure`.
const isHttps = (c: Context<AppEnv>) => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

const cookieOptions = (c: Context<AppEnv>) => ({ httpOnly: true, sameSite: 'Lax' as const, path: '/', secure: isHttps(c) });

/** Client credentials from `Authorization: Basic`, form-decoded as RFC 6749 §2.3.1 asks. */
function basicCredentials(header: string | undefined): { client_id: string; client_secret: string } | null {
  const encoded = header?.match(/^Basic\s+(\S+)$/i)?.[1];
  if (!encoded) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw badRequest('the Basic credentials are not client_id:client_secret');
  const formDecode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      throw badRequest('the Basic credentials are not valid form-encoded text');
    }
  };
  return { client_id: formDecode(decoded.slice(0, colon)), client_secret: formDecode(decoded.slice(colon + 1)) };
}

/** Reads the token request as a form (RFC 6749) or JSON, since the shared body reader takes JSON only. */
async function readTokenRequest(c: Context<AppEnv>): Promise<z.infer<typeof TokenRequest>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const text = await c.req.text();
  let fields: Record<string, unknown>;
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(text);
    const repeated = [...new Set(form.keys())].filter((k) => form.getAll(k).length > 1);
    if (repeated.length) throw badRequest(`parameters may appear only once: ${repeated.join(', ')}`);
    fields = Object.fromEntries(form);
  } else if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new AppError(400, 'invalid_json', `the body is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AppError(400, 'invalid_json', 'send a JSON object');
    fields = parsed as Record<string, unknown>;
  } else {
    throw new AppError(415, 'unsupported_media_type', 'send the body as application/x-www-form-urlencoded or application/json');
  }
  const basic = basicCredentials(c.req.header('authorization'));
  if (basic) {
    if (fields.client_secret !== undefined || (fields.client_id !== undefined && fields.client_id !== basic.client_id))
      throw badRequest('send the client credentials either with HTTP Basic or in the body, not both');
    fields = { ...fields, ...basic };
  }
  const result = TokenRequest.safeParse(fields);
  if (!result.success) throw describeIssues(result.error, 'body');
  return result.data;
}

export const authRoutes = [
  route({
    method: 'post',
    path: '/auth/login',
    summary:
      'Sign in with e-mail and password; sets the HttpOnly session cookie `fixpoint_session` (12 hours). After repeated failures for the account or from the address, the next attempt must wait: 429 with Retry-After. `mustChangePassword` in the answer means only /auth/me and /auth/password answer until a new password is set.',
    tag: 'auth',
    auth: 'public',
    body: LoginRequest,
    response: Me,
    handler: async ({ ctx, body, c }) => {
      const session = await login(ctx, { email: body.email, password: body.password, ip: c.get('clientAddress') });
      setCookie(c, sessionCookie, session.token, { ...cookieOptions(c), maxAge: sessionTtlMs / 1000, expires: session.expiresAt });
      return toMe(session.principal);
    },
  }),
  route({
    method: 'post',
    path: '/auth/logout',
    summary: 'Ends the console session behind the cookie, if any, and clears the cookie.',
    tag: 'auth',
    auth: 'public',
    status: 204,
    handler: async ({ ctx, c }) => {
      await logout(ctx, getCookie(c, sessionCookie));
      deleteCookie(c, sessionCookie, cookieOptions(c));
      return c.body(null, 204);
    },
  }),
  route({
    method: 'get',
    path: '/auth/me',
    summary: 'The caller: kind, roles, permissions and the actions it may run.',
    tag: 'auth',
    auth: 'authenticated',
    beforePasswordChange: true,
    response: Me,
    handler: async ({ principal }) => toMe(principal),
  }),
  route({
    method: 'post',
    path: '/auth/password',
    summary:
      "Changes the signed-in user's own password (console session only; send the current one). Ends the user's other sessions, revokes all their personal access tokens and says how many. Wrong current passwords are throttled like sign-ins.",
    tag: 'auth',
    auth: 'authenticated',
    beforePasswordChange: true,
    body: PasswordChange,
    response: CredentialsEnded,
    handler: async ({ ctx, principal, body, c }) => changeOwnPassword(ctx, principal, { ...body, ip: c.get('clientAddress') }),
  }),
  route({
    method: 'post',
    path: '/auth/extension-token',
    summary:
      'Trades a console session for a personal access token for the browser extension, limited to actions:run, devices:read and campaigns:trigger (those the user has). Send `{}` for the default 8 hours.',
    tag: 'auth',
    auth: 'authenticated',
    body: ExtensionTokenRequest,
    response: CreatedToken,
    status: 201,
    handler: async ({ ctx, principal, body }) => issueExtensionToken(ctx, principal, body),
  }),
  route({
    method: 'post',
    path: '/oauth/token',
    summary:
      'OAuth2 client-credentials grant. Body (application/x-www-form-urlencoded or application/json): grant_type=client_credentials, client_id, client_secret; or send the client credentials with HTTP Basic. Returns a bearer token valid for 15 minutes. Failures are throttled per client id and per address (429 with Retry-After).',
    tag: 'auth',
    auth: 'public',
    bodyLimit: 8 * 1024,
    response: TokenResponse,
    handler: async ({ ctx, c }) => {
      const request = await readTokenRequest(c);
      const token = await issueClientToken(ctx, { clientId: request.client_id, clientSecret: request.client_secret, ip: c.get('clientAddress') });
      // RFC 6749 §5.1: token responses must not be cached.
      c.header('cache-control', 'no-store');
      return token;
    },
  }),
];
