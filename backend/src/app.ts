/** @module The Hono application: error mapping, authentication, the API routes, OpenAPI and the reference page. */
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppContext } from './context';
import { AppError, isInputError } from './errors';
import { serveConsole } from './http/console';
import { buildOpenApi } from './http/openapi';
import { renderReferencePage } from './http/reference-page';
import { mountRoutes, type AnyRoute, type AppEnv } from './http/route';
import { allRoutes } from './routes';
import { clientAddress, trustedProxyList } from './http/client-address';
import { authenticate } from './services/identity/principal';
import { sessionCookie } from './services/identity/session';

export { sessionCookie };
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * The browser extension signs in from its own pages, whose origin is the extension's: it may log in and trade the
 * session for its token, and nothing else. Web pages cannot send these origins, and without CORS headers another
 * extension lacking access to this server cannot read the token it would mint.
 */
const extensionOrigin = /^(?:chrome|moz)-extension:\/\/[a-z0-9-]{1,64}$/;
const extensionSignInPaths = new Set(['/api/v1/auth/login', '/api/v1/auth/extension-token']);

export interface CreateAppOptions {
  routes?: readonly AnyRoute[];
  /** The built console; found next to the backend bundle (or in backend/dist) unless set. */
  consoleDir?: string;
}

export function createApp(ctx: AppContext, options: CreateAppOptions = {}): Hono<AppEnv> {
  const routes = options.routes ?? allRoutes;
  const app = new Hono<AppEnv>();
  const trustedProxies = ctx.config.trustedProxies.length ? trustedProxyList(ctx.config.trustedProxies) : null;

  app.onError((err, c) => {
    if (err instanceof AppError) {
      for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
      return c.json({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } }, err.status);
    }
    const pgCode = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
    if (pgCode === '23505') return c.json({ error: { code: 'conflict', message: 'that already exists' } }, 409);
    // Input PostgreSQL cannot store (NUL bytes, bad encoding, JSON nested past its limit): the caller's fault, not ours.
    if (isInputError(err))
      return c.json({ error: { code: 'validation_failed', message: 'the input contains text or nesting the database cannot store' } }, 400);
    ctx.log.error('unhandled error', { path: c.req.path, method: c.req.method, error: String(err), stack: err.stack });
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));

  // The console's static files come first: they need no principal, and API paths pass straight through.
  app.use('*', serveConsole(options.consoleDir));

  app.use('*', async (c, next) => {
    c.set('ctx', ctx);
    c.set('clientAddress', clientAddress(c, trustedProxies));
    const authorization = c.req.header('authorization');
    const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const session = bearer ? undefined : getCookie(c, sessionCookie);
    if (session && unsafeMethods.has(c.req.method)) {
      // Cookie-authenticated writes must come from our own origin (the JSON-only bodies already stop form posts).
      const origin = c.req.header('origin');
      const extensionSignIn = origin !== undefined && extensionOrigin.test(origin) && extensionSignInPaths.has(c.req.path);
      if (origin && origin !== new URL(c.req.url).origin && !extensionSignIn)
        throw new AppError(403, 'forbidden', 'cross-origin request with a session cookie');
    }
    const { principal, failure } = await authenticate(ctx, { bearer, session });
    c.set('principal', principal);
    c.set('credentialFailure', failure);
    await next();
  });

  app.get('/healthz', (c) => c.json({ status: 'ok', version: ctx.version, database: ctx.dbKind }));

  const openapi = buildOpenApi(routes, ctx.version);
  app.get('/api/openapi.json', (c) => c.json(openapi));
  const page = renderReferencePage(openapi);
  app.get('/api/docs', (c) => c.html(page));

  const api = new Hono<AppEnv>();
  mountRoutes(api, routes);
  app.route('/api/v1', api);
  return app;
}
