/**
 * @module Which addresses a webhook may be sent to. Loopback, link-local (cloud metadata services), private, shared
 * (CGNAT), unspecified, multicast and reserved networks are refused unless an admin lists them in
 * FIXPOINT_WEBHOOK_ALLOW_NETWORKS: otherwise anyone who may create a webhook could make the backend POST to services
 * only it can reach. The check runs on every resolved address at send time, and the connection uses the address
 * that was checked, so a DNS answer that changes between check and connect cannot redirect it.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { invalid } from '../../errors';

/** The refused networks, with the word an error names them by. */
const refused: [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['::', 96, 'ipv6', 'reserved'], // IPv4-compatible, deprecated
  ['::ffff:0:0:0', 96, 'ipv6', 'reserved'], // IPv4-translated
  ['100::', 64, 'ipv6', 'reserved'], // discard-only
  ['fc00::', 7, 'ipv6', 'private (ULA)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'link-local'], // site-local, deprecated
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const lists = new Map(
  [...new Set(refused.map(([, , , why]) => why))].map((why) => {
    const list = new BlockList();
    for (const [net, prefix, type] of refused.filter((r) => r[3] === why)) list.addSubnet(net, prefix, type);
    return [why, list] as const;
  }),
);

/** The IPv4 address an IPv6 address carries (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`), if any. */
function embeddedIpv4(address: string): string | null {
  const m = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (!m) return null;
  if (m[1]) return m[1];
  const hi = parseInt(m[2]!, 16);
  const lo = parseInt(m[3]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Parses `FIXPOINT_WEBHOOK_ALLOW_NETWORKS`-style CIDRs (a bare address means that one address); throws naming a bad one. */
export function parseNetworks(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', prefix, extra] = cidr.split('/');
    const type = isIP(address);
    const bits = prefix === undefined ? (type === 6 ? 128 : 32) : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!type || extra !== undefined || !(bits >= 0 && bits <= (type === 6 ? 128 : 32))) throw new Error(`not a network: ${cidr}`);
    list.addSubnet(address, bits, type === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

/** Why a webhook may not be sent to this IP address, or null when it may. */
export function refusedReason(raw: string, allowed: BlockList): string | null {
  // one spelling per address (a zone index dropped, zeros compressed), so the embedded-IPv4 forms are recognized
  const address = isIP(raw) === 6 ? new URL(`http://[${raw.replace(/%.*$/, '')}]/`).hostname.slice(1, -1) : raw;
  const v4 = isIP(address) === 4 ? address : embeddedIpv4(address);
  const [ip, type] = v4 ? [v4, 'ipv4' as const] : [address, 'ipv6' as const];
  if (allowed.check(ip, type) || (v4 !== address && allowed.check(address, 'ipv6'))) return null;
  for (const [why, list] of lists) if (list.check(ip, type)) return why;
  return null;
}

const parsed = new WeakMap<readonly string[], BlockList>();

/** The allowed networks of a configuration, parsed once. */
export function allowedNetworks(config: { webhookAllowNetworks: readonly string[] }): BlockList {
  let list = parsed.get(config.webhookAllowNetworks);
  if (!list) parsed.set(config.webhookAllowNetworks, (list = parseNetworks(config.webhookAllowNetworks)));
  return list;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * At creation: refuses a URL whose host is an IP literal (or `localhost`) in a refused network, with a clear 400.
 * Names are checked when the webhook is sent, after they resolve.
 */
export function assertTargetAllowed(url: string, allowed: BlockList): void {
  const host = hostOf(new URL(url)).toLowerCase();
  const addresses = host === 'localhost' || host.endsWith('.localhost') ? ['127.0.0.1', '::1'] : isIP(host) ? [host] : [];
  for (const address of addresses) {
    const why = refusedReason(address, allowed);
    if (why)
      throw invalid(`webhook target ${host} is a ${why} address; an admin can allow its network with FIXPOINT_WEBHOOK_ALLOW_NETWORKS`, [
        { path: 'url', message: `${why} address` },
      ]);
  }
}

/** A send-time refusal; its message is what the delivery records. */
export class TargetRefused extends Error {}

/** Addresses that passed the check; the connection goes to one of them and nowhere else. */
export type CheckedAddresses = { address: string; family: 4 | 6 }[];

/**
 * Resolves the URL's host and checks every address it resolves to. Any refused address refuses the whole name, so a
 * name cannot mix a public address with an internal one.
 */
export async function resolveTarget(url: URL, allowed: BlockList): Promise<CheckedAddresses> {
  const host = hostOf(url);
  const found = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
  if (!found.length) throw new TargetRefused(`${host} resolves to no address`);
  for (const { address } of found) {
    const why = refusedReason(address, allowed);
    if (why) throw new TargetRefused(`refused: ${host} resolves to ${address}, a ${why} address (not in FIXPOINT_WEBHOOK_ALLOW_NETWORKS)`);
  }
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}
