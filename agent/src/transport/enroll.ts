/** @module The one HTTP call the agent makes: enrollment. Everything else goes over the channel. */
import { EnrollResponse, ErrorBody, type EnrollRequest } from '@fixpoint/protocol';
import { apiUrl } from './channel-url';

/** Posts an enrollment request and returns the validated response; throws an Error with the server's message otherwise. */
export async function postEnrollment(server: string, request: EnrollRequest, timeoutMs = 30_000): Promise<EnrollResponse> {
  const res = await fetch(apiUrl(server, '/api/v1/enroll'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // reported below with the status
  }
  if (!res.ok) {
    const err = ErrorBody.safeParse(body);
    throw new Error(err.success ? `${err.data.error.code}: ${err.data.error.message}` : `enrollment failed: HTTP ${res.status}`);
  }
  const parsed = EnrollResponse.safeParse(body);
  if (!parsed.success) throw new Error('enrollment failed: the server answered with an unexpected body');
  return parsed.data;
}
