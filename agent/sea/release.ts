/**
 * @module `npm run release:agent`: the update key and agent releases, on the admin's machine (the private key never
 * goes to the server).
 *
 *   npm run release:agent -- keygen --out DIR
 *       writes DIR/update-ed25519.pem (0600; keep it offline) and prints the public key for FIXPOINT_UPDATE_PUBLIC_KEY
 *   npm run release:agent -- sign --key DIR/update-ed25519.pem --file dist/agent/fixpoint-agent-linux-x64 \
 *       --version 0.2.0 --os linux --arch x64 [--rollback]
 *       prints the release's JSON (size, SHA-256, signature) for POST /api/v1/agent-releases
 *   npm run release:agent -- upload (the sign options) --server URL --token fxp_pat_…
 *       signs, declares the release and uploads its binary
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AgentReleaseInput, releaseSigningText } from '@fixpoint/protocol';

export interface UpdateKeys {
  /** PKCS#8 PEM of the private key. */
  privateKeyPem: string;
  /** Base64 SPKI DER of the public key: FIXPOINT_UPDATE_PUBLIC_KEY. */
  publicKeyDer: string;
}

export function generateUpdateKeys(): UpdateKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyDer: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

export interface SignReleaseOptions {
  privateKeyPem: string;
  file: string;
  version: string;
  os: string;
  arch: string;
  rollback?: boolean;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The release declaration of a binary, signed with the update key (checked by the protocol's schema). */
export async function signRelease(options: SignReleaseOptions): Promise<AgentReleaseInput> {
  const fields = {
    version: options.version, os: options.os, arch: options.arch, size: statSync(options.file).size, sha256: await sha256Of(options.file),
    rollback: options.rollback ?? false,
  };
  const signature = sign(null, Buffer.from(releaseSigningText(fields)), createPrivateKey(options.privateKeyPem)).toString('base64');
  return AgentReleaseInput.parse({ ...fields, signature });
}

/** PUTs a file as an octet stream, streamed from disk, on a connection of its own (no reused keep-alive socket). */
function putFile(url: string, headers: Record<string, string>, file: string): Promise<{ status: number; text: string }> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      { method: 'PUT', agent: false, headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(statSync(file).size) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    createReadStream(file).on('error', reject).pipe(req);
  });
}

/** Declares a release and uploads its binary; returns the release as the server stored it. */
export async function uploadRelease(server: string, headers: Record<string, string>, release: AgentReleaseInput, file: string): Promise<{ id: string }> {
  const base = `${server.replace(/\/$/, '')}/api/v1`;
  const created = await fetch(`${base}/agent-releases`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(release) });
  if (created.status !== 201) throw new Error(`declaring the release: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const uploaded = await putFile(`${base}/agent-releases/${id}/binary`, headers, file);
  if (uploaded.status !== 200) throw new Error(`uploading the binary: ${uploaded.status} ${uploaded.text}`);
  return JSON.parse(uploaded.text) as { id: string };
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' }, key: { type: 'string' }, file: { type: 'string' }, version: { type: 'string' }, os: { type: 'string' },
      arch: { type: 'string' }, rollback: { type: 'boolean' }, server: { type: 'string' }, token: { type: 'string' },
    },
  });
  const command = positionals[0];
  if (command === 'keygen') {
    if (!values.out) throw new Error('keygen needs --out DIR');
    const keys = generateUpdateKeys();
    mkdirSync(values.out, { recursive: true, mode: 0o700 });
    writeFileSync(join(values.out, 'update-ed25519.pem'), keys.privateKeyPem, { mode: 0o600, flag: 'wx' });
    process.stdout.write(`FIXPOINT_UPDATE_PUBLIC_KEY=${keys.publicKeyDer}\n`);
    return;
  }
  if (command !== 'sign' && command !== 'upload') throw new Error('usage: release:agent keygen --out DIR | sign … | upload … (see agent/sea/release.ts)');
  const { key, file, version, os, arch } = values;
  if (!key || !file || !version || !os || !arch) throw new Error(`${command} needs --key, --file, --version, --os and --arch`);
  const release = await signRelease({ privateKeyPem: readFileSync(key, 'utf8'), file, version, os, arch, rollback: values.rollback });
  if (command === 'sign') return void process.stdout.write(`${JSON.stringify(release, null, 2)}\n`);
  if (!values.server || !values.token) throw new Error('upload needs --server and --token');
  const stored = await uploadRelease(values.server, { authorization: `Bearer ${values.token}` }, release, file);
  process.stdout.write(`uploaded release ${stored.id}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`release:agent: ${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}
