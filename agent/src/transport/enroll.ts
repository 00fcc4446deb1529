/** @module The one HTTP call the agent makes: enrollment (over `./http`, not fetch). Everything else goes over the channel. */
import { EnrollResponse, ErrorBody, type EnrollRequest } from '@fixpoint/protocol';
import { apiUrl } from './channel-url';
import { postJson } from './http';

/** Posts an enrollment request and returns the validated response; throws an Error with the server's message otherwise. */
export async function postEnrollment(server: string, request: EnrollRequest, timeoutMs = 30_000): Promise<EnrollResponse> {
  const res = await postJson(apiUrl(server, '/api/v1/enroll'), request, timeoutMs);
  let body: unknown = null;
  try {
    body = JSON.parse(res.text);
  } catch {
    // reported below with the status
  }
  if (res.status < 200 || res.status > 299) {
    const err = ErrorBody.safeParse(body);
    throw new Error(err.success ? `${err.data.error.code}: ${err.data.error.message}` : `enrollment failed: HTTP ${res.status}`);
  }
  const parsed = EnrollResponse.safeParse(body);
  if (!parsed.success) throw new Error('enrollment failed: the server answered with an unexpected body');
  return parsed.data;
}
