/** @module Sign-in and sign-out for the console, the caller's identity, the extension token and the OAuth2 token endpoint. */
import { CreatedToken, CredentialsEnded, ExtensionTokenRequest, LoginRequest, Me, PasswordChange, TokenResponse } from '../identity';
import { endpoint } from './endpoint';

const tag = 'Auth';

export const auth = {
  login: endpoint({
    method: 'post',
    path: '/auth/login',
    summary:
      'Sign in with e-mail and password; sets the HttpOnly session cookie `fixpoint_session` (12 hours). After repeated failures for the account or from the address, the next attempt must wait: 429 with Retry-After. `mustChangePassword` in the answer means only /auth/me and /auth/password answer until a new password is set.',
    tag,
    auth: 'public',
    body: LoginRequest,
    response: Me,
  }),
  logout: endpoint({
    method: 'post',
    path: '/auth/logout',
    summary: 'Ends the console session behind the cookie, if any, and clears the cookie.',
    tag,
    auth: 'public',
    status: 204,
  }),
  me: endpoint({
    method: 'get',
    path: '/auth/me',
    summary: 'The caller: kind, roles, permissions and the actions it may run.',
    tag,
    auth: 'authenticated',
    beforePasswordChange: true,
    response: Me,
  }),
  changePassword: endpoint({
    method: 'post',
    path: '/auth/password',
    summary:
      "Changes the signed-in user's own password (console session only; send the current one). Ends the user's other sessions, revokes all their personal access tokens and says how many. Wrong current passwords are throttled like sign-ins.",
    tag,
    auth: 'authenticated',
    beforePasswordChange: true,
    body: PasswordChange,
    response: CredentialsEnded,
  }),
  extensionToken: endpoint({
    method: 'post',
    path: '/auth/extension-token',
    summary:
      'Trades a console session for a personal access token for the browser extension, limited to actions:run, devices:read and campaigns:trigger (those the user has). Send `{}` for the default 8 hours.',
    tag,
    auth: 'authenticated',
    body: ExtensionTokenRequest,
    response: CreatedToken,
    status: 201,
  }),
  /** The body is a form (RFC 6749) or JSON, read by the handler itself; `TokenRequest` is its shape. */
  oauthToken: endpoint({
    method: 'post',
    path: '/oauth/token',
    summary:
      'OAuth2 client-credentials grant. Body (application/x-www-form-urlencoded or application/json): grant_type=client_credentials, client_id, client_secret; or send the client credentials with HTTP Basic. Returns a bearer token valid for 15 minutes. Failures are throttled per client id and per address (429 with Retry-After).',
    tag,
    auth: 'public',
    bodyLimit: 8 * 1024,
    response: TokenResponse,
  }),
};
