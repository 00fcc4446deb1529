/**
 * @module The agent's HTTP requests, on `node:http`/`node:https` rather than the global `fetch`: fetch (undici) is a
 * second HTTP stack in the agent's memory for one call, and it fails to connect at all under Wine, where the
 * Windows build is tested. TLS verification is Node's default (the system's and NODE_EXTRA_CA_CERTS' roots) and is
 * never turned off here; whether plain http is acceptable is the caller's decision (see `enrollDevice`).
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  text: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** Larger responses are cut off with an error: the agent only ever expects small JSON answers. */
  maxBytes?: number;
}

/** Sends one request and reads the whole response as UTF-8; rejects on network errors, timeouts and oversized bodies. */
export function request(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
  const { method = 'GET', headers = {}, body, timeoutMs = 30_000, maxBytes = 1024 * 1024 } = options;
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : null;
  if (!client) return Promise.reject(new Error(`cannot request ${target.protocol} URLs`));
  const sendHeaders = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = client.request(target, { method, headers: sendHeaders, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        chunks.push(chunk);
        if (size <= maxBytes) return;
        // rejected first: the destroy below makes the streams emit errors that must not win
        reject(new Error(`the response from ${target.host} is larger than ${maxBytes} bytes`));
        res.destroy();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (err: Error) =>
      reject(err.name === 'AbortError' ? new Error(`no answer from ${target.host} within ${timeoutMs} ms`) : err),
    );
    req.end(body);
  });
}

/** POSTs a JSON body and asks for JSON back. */
export function postJson(url: string, payload: unknown, timeoutMs?: number): Promise<HttpResponse> {
  return request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(payload),
    timeoutMs,
  });
}
