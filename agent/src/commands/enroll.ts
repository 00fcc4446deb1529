/** @module `fixpoint-agent enroll`: makes the device's key pair, enrolls it, pins the server key. */
import { isIPv4 } from 'node:net';
import os from 'node:os';
import { EnrollRequest, hostnameProblem, PROTOCOL_VERSION, toHostname } from '@fixpoint/protocol';
import { AGENT_VERSION, type AgentPaths } from '../config';
import { currentPlatform } from '../exec/platform';
import { collectFacts, type Facts } from '../facts';
import { osVersionString } from '../facts/os-info';
import { log } from '../log';
import { ensurePrivateDir } from '../state/files';
import { restrictStateDir } from '../state/windows-acl';
import { generateDeviceKeys, loadIdentity, publicKeyFromDer, saveIdentity, type Identity } from '../state/identity';
import { postEnrollment } from '../transport/enroll';

export interface EnrollOptions {
  paths: AgentPaths;
  server: string;
  token: string;
  name?: string;
  /** Replace an existing enrollment (a new device id and key). */
  force?: boolean;
  /** Allow plain `http://` to a server that is not on this machine (`--insecure-http`). */
  insecureHttp?: boolean;
  collectFacts?: () => Promise<Facts>;
}

/** True for this machine: `localhost`, 127.0.0.0/8 and ::1 (URL host names, so IPv6 comes in brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host === '[::1]') return true;
  // An IPv4-mapped loopback address is written in hex by the URL parser ([::ffff:7f00:1]).
  if (/^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host)) return true;
  return isIPv4(host) && host.startsWith('127.');
}

/**
 * The name to enroll under: `--name` as given (the server refuses one that is not a host name), else this computer's
 * host name, made host-name-safe when the system's name is not one (spaces, underscores, accents become hyphens).
 */
export function chooseDeviceName(explicit: string | undefined, hostname: string = os.hostname()): string {
  if (explicit !== undefined) {
    const problem = hostnameProblem(explicit.trim());
    if (problem) throw new Error(`--name must be the device's host name: ${problem}`);
    return explicit.trim();
  }
  const safe = toHostname(hostname);
  if (!safe) throw new Error(`this computer's name ${JSON.stringify(hostname)} cannot be made a host name; pass --name`);
  if (safe !== hostname) log.warn('the computer name is not a host name; enrolling under a host-name-safe form', { hostname, name: safe });
  return safe;
}

/** Enrolls this device and stores its identity; throws an Error with a user-facing message on any failure. */
export async function enrollDevice(options: EnrollOptions): Promise<Identity> {
  let server: URL;
  try {
    server = new URL(options.server);
  } catch {
    throw new Error(`--server must be a URL, e.g. https://fixpoint.example.com`);
  }
  if (server.protocol !== 'https:' && server.protocol !== 'http:') throw new Error('--server must be an http(s) URL');
  if (server.protocol === 'http:' && !isLoopbackHost(server.hostname)) {
    if (!options.insecureHttp)
      throw new Error(
        `refusing to enroll over plain http with ${server.host}: anyone on the network could read the enrollment token and ` +
          'hand this device a server key of their own. Use https://, or pass --insecure-http if you accept that (test networks only)',
      );
    log.warn('enrolling over plain http (--insecure-http): the token, the pinned server key and the channel are not encrypted');
  }
  const existing = loadIdentity(options.paths);
  if (existing && !options.force)
    throw new Error(`already enrolled as device ${existing.deviceId} with ${existing.server}; use --force to enroll again`);

  const name = chooseDeviceName(options.name);
  const keys = generateDeviceKeys();
  const facts = await (options.collectFacts ?? collectFacts)().catch(() => ({}));
  const request = EnrollRequest.safeParse({
    token: options.token,
    publicKey: keys.publicKeyDer,
    name,
    platform: currentPlatform(),
    osVersion: await osVersionString(),
    agentVersion: AGENT_VERSION,
    facts,
  });
  if (!request.success) {
    const issue = request.error.issues[0];
    throw new Error(`invalid enrollment request: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const response = await postEnrollment(server.toString().replace(/\/$/, ''), request.data);
  if (response.protocolVersion !== PROTOCOL_VERSION)
    log.warn('the server speaks another protocol version', { server: response.protocolVersion, agent: PROTOCOL_VERSION });
  try {
    publicKeyFromDer(response.serverPublicKey);
  } catch {
    throw new Error('enrollment failed: the server key is not an Ed25519 public key');
  }
  if (response.updatePublicKey) {
    try {
      publicKeyFromDer(response.updatePublicKey);
    } catch {
      throw new Error('enrollment failed: the update key is not an Ed25519 public key');
    }
  }
  const identity: Identity = {
    deviceId: response.deviceId,
    server: server.toString().replace(/\/$/, ''),
    privateKey: keys.privateKeyPem,
    serverPublicKey: response.serverPublicKey,
    serverKeyId: response.serverKeyId,
    ...(response.updatePublicKey ? { updatePublicKey: response.updatePublicKey } : {}),
    enrolledAt: new Date().toISOString(),
  };
  // on Windows the folder is closed to all but SYSTEM and Administrators before the private key goes into it
  ensurePrivateDir(options.paths.stateDir);
  await restrictStateDir(options.paths.stateDir);
  saveIdentity(options.paths, identity);
  return identity;
}
