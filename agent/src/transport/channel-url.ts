import { AGENT_CHANNEL_PATH } from '@fixpoint/protocol';

/**
 * The channel URL for a server base URL: http→ws, https→wss, keeping any path prefix.
 * @example channelUrl('https://fp.example.com/base') // 'wss://fp.example.com/base/api/v1/agent/channel'
 */
export function channelUrl(server: string): string {
  const url = new URL(server);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${AGENT_CHANNEL_PATH}`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** An HTTP API URL under the server base URL, keeping any path prefix. */
export function apiUrl(server: string, path: string): string {
  const url = new URL(server);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  return url.toString();
}
