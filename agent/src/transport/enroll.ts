/** @module The one HTTP call the agent makes: enrollment (over `./http`, not fetch). Everything else goes over the channel. */
import { EnrollResponse, ErrorBody, type EnrollRequest } from '@fixpoint/protocol';
import { STATUS_CODES } from 'node:http';
import { apiUrl } from './channel-url';
import { postJson } from './http';

/**
 * Posts an enrollment request and returns the validated response. Any failure throws an Error that names the URL
 * and the cause: the network's (connection refused, host not found, TLS), the HTTP status, or the server's message.
 */
export async function postEnrollment(server: string, request: EnrollRequest, timeoutMs = 30_000): Promise<EnrollResponse> {
  const url = apiUrl(server, '/api/v1/enroll');
  const res = await postJson(url, request, timeoutMs).catch((err: unknown) => {
    throw new Error(`cannot enroll with ${url}: ${describeNetworkError(err)}`);
  });
  let body: unknown = null;
  try {
    body = JSON.parse(res.text);
  } catch {
    // reported below with the status
  }
  if (res.status < 200 || res.status > 299) {
    const err = ErrorBody.safeParse(body);
    const status = `HTTP ${res.status}${STATUS_CODES[res.status] ? ` ${STATUS_CODES[res.status]}` : ''}`;
    throw new Error(`enrollment with ${url} failed: ${status}${err.success ? `, ${err.data.error.code}: ${err.data.error.message}` : ''}`);
  }
  const parsed = EnrollResponse.safeParse(body);
  if (!parsed.success) throw new Error(`enrollment with ${url} failed: the server answered with an unexpected body (is it a Fixpoint server?)`);
  return parsed.data;
}

const causes: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens on that port)',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed for now (DNS)',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** One readable cause for a failed request: what happened, then the system's code (`ECONNREFUSED`, `CERT_HAS_EXPIRED`). */
export function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return err.message;
  if (causes[code]) return `${causes[code]} (${code})`;
  // OpenSSL's codes (CERT_*, *_SELF_SIGNED_*, ERR_SSL_*, ERR_TLS_*) and a plain-http answer to TLS.
  if (code === 'EPROTO' || /CERT|SELF_SIGNED|SSL|TLS|UNABLE_TO_(GET|VERIFY)/.test(code)) {
    // OpenSSL's own text (`…:SSL routines:ssl3_get_record:wrong version number:file:line:`) comes down to its reason.
    const reason = /SSL routines:[^:]*:([^:]+)/.exec(err.message)?.[1];
    return `TLS: ${reason ?? err.message.split('\n')[0]!.trim()}${reason === 'wrong version number' ? ' (does the server speak https?)' : ''} (${code})`;
  }
  return `${err.message} (${code})`;
}
