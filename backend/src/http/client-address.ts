/**
 * @module The client's address for throttling and the audit log. X-Forwarded-For counts only when the request came
 * from a configured trusted proxy; anyone else could write any address there and pick whose limit to use.
 */
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';

/** What the Node adapter puts in `c.env`; requests made in-process (tests) have no socket and get `local`. */
interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/** `::ffff:192.0.2.1` is the IPv4 client of a dual-stack socket; count it as `192.0.2.1`. */
function normalize(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped?.[1] ?? address).toLowerCase();
}

/** One X-Forwarded-For entry without port or brackets, or null when it is not an address. */
function parseHop(entry: string): string | null {
  let hop = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) hop = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(hop)) hop = hop.slice(0, hop.lastIndexOf(':'));
  return isIP(hop) ? normalize(hop) : null;
}

/** Builds the matcher for FIXPOINT_TRUSTED_PROXIES entries (already validated by the config). */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The socket's peer, or, when that peer is a trusted proxy, the right-most X-Forwarded-For hop that is not itself
 * trusted (each proxy appends the address it saw, so entries left of the first untrusted hop are the client's say).
 */
export function clientAddress(c: Context, trusted: BlockList | null): string {
  const peer = (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
  if (!peer) return 'local';
  let address = normalize(peer);
  if (!trusted || !isTrusted(trusted, address)) return address;
  const hops = (c.req.header('x-forwarded-for') ?? '').split(',').reverse();
  for (const entry of hops) {
    const hop = parseHop(entry);
    // An unreadable entry was written by whoever sent it to the last trusted proxy: stop at that proxy's view.
    if (!hop) break;
    address = hop;
    if (!isTrusted(trusted, hop)) break;
  }
  return address;
}
