/** @module Handlers of sign-in and sign-out for the console, the caller's identity, the extension token and the OAuth2 token endpoint. */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { z } from 'zod';
import { TokenRequest } from '@fixpoint/protocol';
import { api } from '@fixpoint/protocol/api';
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

const { auth } = api;

export const authRoutes = [
  route(auth.login, async ({ ctx, body, c }) => {
    const session = await login(ctx, { email: body.email, password: body.password, ip: c.get('clientAddress') });
    setCookie(c, sessionCookie, session.token, { ...cookieOptions(c), maxAge: sessionTtlMs / 1000, expires: session.expiresAt });
    return toMe(session.principal);
  }),
  route(auth.logout, async ({ ctx, c }) => {
    await logout(ctx, getCookie(c, sessionCookie));
    deleteCookie(c, sessionCookie, cookieOptions(c));
    return c.body(null, 204);
  }),
  route(auth.me, async ({ principal }) => toMe(principal)),
  route(auth.changePassword, async ({ ctx, principal, body, c }) => changeOwnPassword(ctx, principal, { ...body, ip: c.get('clientAddress') })),
  route(auth.extensionToken, async ({ ctx, principal, body }) => issueExtensionToken(ctx, principal, body)),
  route(auth.oauthToken, async ({ ctx, c }) => {
    const request = await readTokenRequest(c);
    const token = await issueClientToken(ctx, { clientId: request.client_id, clientSecret: request.client_secret, ip: c.get('clientAddress') });
    // RFC 6749 §5.1: token responses must not be cached.
    c.header('cache-control', 'no-store');
    return token;
  }),
];
